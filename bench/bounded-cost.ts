// What keeping a full map within its bound costs per set: the order service's status table (STATUS_TABLE_MAX_ORDERS,
// 100,000) and its orders produced lately (10,000) set a key per record or order, and drop the oldest past the bound.
// `setBounded` drops a sixteenth at once; the reference drops one entry per set, as it did until 2026-12-05. A Map
// keeps its deleted entries' slots until it grows, and each pass from the front steps over them. Then the heap a
// full status table holds, per order. Usage: node --expose-gc --import tsx bench/bounded-cost.ts [--sets N]
import { parseOptions } from '../src/cli/options.js';
import type { OrderHistoryEntry, OrderStatus } from '../src/contracts/order-status.js';
import { setBounded } from '../src/order/bounded.js';
import { createStatusTable } from '../src/order/status-table.js';
import { wholeAbove0 } from './step-cli.js';

type SetRule = (map: Map<string, number>, key: string, value: number, max: number) => void;

/** The rule before: one pass from the front per set, dropping one entry. */
const dropOneAtATime: SetRule = (map, key, value, max) => {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
};

/**
 * µs per set into a map already full at `max`: a new key per set (the orders produced lately), or each key set three
 * times, a thousand orders apart (the status table: an order's created, payment and last records).
 */
function microsPerSet(rule: SetRule, max: number, sets: number, timesEach: 1 | 3): number {
  const map = new Map<string, number>();
  for (let index = 0; index < max; index += 1) rule(map, `warm-${index}`, index, max);
  const keyOf = (index: number): string => {
    if (timesEach === 1) return `key-${index}`;
    const lag = (index % 3) * 1000;
    return `key-${Math.max(0, Math.floor(index / 3) - lag)}`;
  };
  const started = process.hrtime.bigint();
  for (let index = 0; index < sets; index += 1) rule(map, keyOf(index), index, max);
  return Number(process.hrtime.bigint() - started) / sets / 1000;
}

const { values } = parseOptions('bounded-cost', { options: { sets: { type: 'string', default: '300000' } } });
const sets = wholeAbove0(values.sets);
if (sets === undefined) throw new Error(`--sets takes a whole number above 0, not ${values.sets}`);
for (const [max, timesEach] of [
  [10_000, 1],
  [100_000, 1],
  [100_000, 3],
] as const) {
  for (let round = 1; round <= 2; round += 1) {
    const before = microsPerSet(dropOneAtATime, max, sets, timesEach);
    const now = microsPerSet(setBounded, max, sets, timesEach);
    console.log(
      `${max} entries, each key set ${timesEach === 1 ? 'once' : 'three times'}, round ${round}: ` +
        `${now.toFixed(2)} µs a set (one at a time: ${before.toFixed(2)})`,
    );
  }
}

/** A shipped order's record as the order service reads it from order_status: three events, parsed from JSON. */
function shippedRecord(index: number): OrderStatus {
  const time = new Date(Date.UTC(2026, 0, 1) + index).toISOString();
  const entry = (type: string, topic: string): OrderHistoryEntry => ({
    type,
    time,
    topic,
    partition: index % 6,
    offset: String(1_000_000 + index),
  });
  const id = String(index).padStart(12, '0');
  const record: OrderStatus = {
    orderId: `3f0c2a1e-9b7d-4c55-8e2f-${id}`,
    amount: 50,
    status: 'shipped',
    correlationId: `5d1e7c42-0a6b-4f1d-9c3e-${id}`,
    createdAt: time,
    updatedAt: time,
    history: [
      entry('webshop.order.created', 'order_created'),
      entry('webshop.payment.completed', 'payment_completed'),
      entry('webshop.order.shipped', 'order_shipped'),
    ],
  };
  return JSON.parse(JSON.stringify(record)) as OrderStatus;
}

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) {
  console.log('heap per order: run with node --expose-gc');
} else {
  const orders = 100_000;
  collect();
  const before = process.memoryUsage().heapUsed;
  const table = createStatusTable(orders);
  for (let index = 0; index < orders; index += 1) table.put(shippedRecord(index));
  collect();
  const held = process.memoryUsage().heapUsed - before;
  console.log(
    `a full status table of ${table.size()} shipped orders: ${(held / 1e6).toFixed(0)} MB of heap, ` +
      `${(held / orders).toFixed(0)} bytes an order`,
  );
}
