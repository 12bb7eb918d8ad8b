// The order service's feed of order_status: reads the topic from its beginning into the status table
// (read_committed), then follows it; and the orders this instance produced lately, for GET's 202.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { decodeEvent } from '../contracts/envelope.js';
import { topic } from '../contracts/topics.js';
import { describeError } from '../errors.js';
import { followTopics, type TopicFollower } from '../kafka/follower.js';
import type { Logger } from '../logger.js';
import { setBounded } from './bounded.js';
import { createStatusTable, type StatusTable } from './status-table.js';

/** How many orders produced by this instance GET /orders/:id remembers as accepted (202) until projected. */
const recentOrdersMax = 10000;
// Bounds a start-up read; a longer one is tried again from the start.
const catchUpTimeoutMs = 10000;

export interface StatusFeed {
  table: StatusTable;
  /** True once the table has read order_status to its end. */
  loaded(): boolean;
  /** Remembers an order this instance produced. */
  produced(orderId: string): void;
  producedRecently(orderId: string): boolean;
  close(): Promise<void>;
}

/**
 * Starts filling a table from order_status in the background (tried again while the broker is away).
 * @example const feed = openStatusFeed(config, log); createOrderApp({ ..., status: feed, created: feed.produced });
 */
export function openStatusFeed(config: Config, log: Logger): StatusFeed {
  const table = createStatusTable(config.statusTableMaxOrders);
  const statusTopic = topic(config.topicPrefix, 'order_status');
  const recent = new Map<string, true>();
  let follower: TopicFollower | undefined;
  let loaded = false;
  let closed = false;

  const start = async (): Promise<void> => {
    for (let attempt = 1; !closed; attempt += 1) {
      try {
        const opened = await followTopics(config, log, {
          topics: [statusTopic],
          onMessage: (_topic, partition, message) => {
            try {
              const record = decodeEvent(message.value, ['webshop.order.status']).data;
              table.put(record);
              recent.delete(record.orderId);
            } catch (error) {
              log.warn('order status skipped', {
                topic: statusTopic,
                partition,
                offset: message.offset,
                error: describeError(error),
              });
            }
          },
        });
        if (closed) return await opened.close();
        follower = opened;
        await opened.catchUp(catchUpTimeoutMs);
        loaded = true;
        log.info('order status loaded', { topic: statusTopic, orders: table.size() });
        return;
      } catch (error) {
        if (closed) return;
        const failed = follower;
        follower = undefined;
        await failed?.close();
        log.warn('order status cannot be read, retrying', { attempt, topic: statusTopic, error: describeError(error) });
        await sleep(Math.min(5000, 500 * attempt));
      }
    }
  };
  void start();

  return {
    table,
    loaded: () => loaded,
    produced: (orderId) => {
      if (table.get(orderId) === undefined) setBounded(recent, orderId, true, recentOrdersMax);
    },
    producedRecently: (orderId) => recent.has(orderId),
    async close() {
      closed = true;
      const open = follower;
      follower = undefined;
      await open?.close();
    },
  };
}
