// The checker's verdict on order_status: per order, the latest status record against the events the five
// topics hold for it. Nothing lost (every event in the history), nothing doubled (each once, one record per event).
import assert from 'node:assert/strict';
import type { OrderStatus } from '../../src/contracts/order-status.js';
import type { TopicName } from '../../src/contracts/topics.js';
import type { ShopRecord } from './shop-record.js';

const eventTopics: readonly TopicName[] = [
  'order_created',
  'payment_completed',
  'payment_failed',
  'order_shipped',
  'notification_sent',
];

export interface StatusFigures {
  orders: number;
  records: number;
  /** Orders whose latest record lacks one of their events, or has none. */
  missing: string[];
  /** Orders whose latest record holds an event twice, or one that is not theirs. */
  doubled: string[];
  /** Orders with more status records than events: a fold was committed twice. */
  rewritten: string[];
}

/** Per order, where its events are (`topic/partition/offset`, unprefixed topic), and its status records in offset order. */
function byOrder(record: ShopRecord): { events: Map<string, string[]>; records: Map<string, OrderStatus[]> } {
  const events = new Map<string, string[]>();
  for (const name of eventTopics) {
    for (const { key, partition, offset } of record[name]) {
      if (key !== undefined) events.set(key, [...(events.get(key) ?? []), `${name}/${partition}/${offset}`]);
    }
  }
  const records = new Map<string, OrderStatus[]>();
  const sorted = [...record.order_status].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const { key, message } of sorted) {
    const data = (JSON.parse(message.value?.toString() ?? '{}') as { data: OrderStatus }).data;
    if (key !== undefined) records.set(key, [...(records.get(key) ?? []), data]);
  }
  return { events, records };
}

/** Holds order_status against the events; `prefix` is the topic prefix the histories name. */
export function statusFigures(record: ShopRecord, prefix: string): StatusFigures {
  const { events, records } = byOrder(record);
  const figures: StatusFigures = {
    orders: events.size,
    records: record.order_status.length,
    missing: [],
    doubled: [],
    rewritten: [],
  };
  for (const [orderId, places] of events) {
    const history = records.get(orderId)?.at(-1)?.history ?? [];
    const folded = history.map(
      ({ topic, partition, offset }) => `${topic.slice(prefix.length)}/${partition}/${offset}`,
    );
    if (places.some((place) => !folded.includes(place))) figures.missing.push(orderId);
    if (new Set(folded).size !== folded.length || folded.some((place) => !places.includes(place)))
      figures.doubled.push(orderId);
    if ((records.get(orderId)?.length ?? 0) > places.length) figures.rewritten.push(orderId);
  }
  return figures;
}

/** What `settle` waits for: orders whose latest status record does not hold all their events yet. */
export function statusBehind(record: ShopRecord, prefix: string): string[] {
  const { missing } = statusFigures(record, prefix);
  return missing.length === 0 ? [] : [`${missing.length} orders whose status lacks events`];
}

/** The invariant of the projection under faults. */
export function assertStatusExact(figures: StatusFigures): void {
  assert.ok(figures.orders > 0, 'some orders have events');
  assert.deepEqual(figures.missing, [], 'orders whose status record lacks one of their events');
  assert.deepEqual(figures.doubled, [], 'orders whose status record holds an event twice or a foreign one');
  assert.deepEqual(figures.rewritten, [], 'orders with more status records than events');
}
