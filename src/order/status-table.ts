// The order service's read-only table of order_status: each order's latest status record, bounded in memory
// (the orders updated longest ago go first), with change notifications for waiting requests and live feeds.
import { EventEmitter } from 'node:events';
import type { OrderStatus } from '../contracts/order-status.js';
import { setBounded } from './bounded.js';

export interface StatusTable {
  get(orderId: string): OrderStatus | undefined;
  /** The `limit` orders created last, newest first. */
  newest(limit: number): OrderStatus[];
  /** Stores a record read from order_status; the table tells its listeners. */
  put(record: OrderStatus): void;
  /** Calls `listener` with each record stored from now on; returns the function that stops it. */
  onChange(listener: (record: OrderStatus) => void): () => void;
  /**
   * Resolves with the order's record once `reached(record)` holds, or with what is there (maybe nothing) when
   * `timeoutMs` passes or `signal` aborts. Resolves at once when it already holds.
   */
  waitFor(
    orderId: string,
    reached: (record: OrderStatus) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OrderStatus | undefined>;
  size(): number;
  /** Ends every wait now, with what is there, and tells `onRelease` listeners (the service is stopping). */
  release(): void;
  /** Calls `listener` once at `release()` (a live feed ends its stream); returns the function that stops it. */
  onRelease(listener: () => void): () => void;
}

const newerFirst = (a: OrderStatus, b: OrderStatus): number =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/**
 * An empty table that keeps at most `maxOrders` orders (STATUS_TABLE_MAX_ORDERS).
 * @example const table = createStatusTable(100000); table.onChange((record) => feed.send(record));
 */
export function createStatusTable(maxOrders: number): StatusTable {
  const records = new Map<string, OrderStatus>();
  const changes = new EventEmitter();
  // Every waiting request and live feed is one listener: no limit is a leak warning here.
  changes.setMaxListeners(0);
  const onChange = (listener: (record: OrderStatus) => void): (() => void) => {
    changes.on('change', listener);
    return () => changes.off('change', listener);
  };
  return {
    get: (orderId) => records.get(orderId),
    newest(limit) {
      // The `limit` newest, kept sorted while scanning once: no sort of the whole table per request.
      const top: OrderStatus[] = [];
      for (const record of records.values()) {
        if (top.length === limit && newerFirst(record, top[top.length - 1]!) >= 0) continue;
        let at = top.length;
        while (at > 0 && newerFirst(record, top[at - 1]!) < 0) at -= 1;
        top.splice(at, 0, record);
        if (top.length > limit) top.pop();
      }
      return top;
    },
    put(record) {
      setBounded(records, record.orderId, record, maxOrders);
      changes.emit('change', record);
    },
    onChange,
    waitFor(orderId, reached, timeoutMs, signal) {
      const current = records.get(orderId);
      if ((current !== undefined && reached(current)) || signal?.aborted) return Promise.resolve(current);
      return new Promise((resolve) => {
        const done = (): void => {
          stop();
          clearTimeout(timer);
          changes.off('release', done);
          signal?.removeEventListener('abort', done);
          resolve(records.get(orderId));
        };
        const stop = onChange((record) => {
          if (record.orderId === orderId && reached(record)) done();
        });
        const timer = setTimeout(done, timeoutMs);
        changes.once('release', done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    size: () => records.size,
    release: () => changes.emit('release'),
    onRelease(listener) {
      changes.once('release', listener);
      return () => changes.off('release', listener);
    },
  };
}
