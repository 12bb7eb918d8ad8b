// The status actor: folds each order's events (from five topics, in any arrival order) into one status record
// on the compacted order_status topic. Idempotent inside the fold: an event already in the history adds nothing.
import { correlationIdOf, type ReceivedEvent } from '../../contracts/envelope.js';
import type { OrderHistoryEntry, OrderStatus, OrderStatusName } from '../../contracts/order-status.js';
import type { ActorDefinition, EventSource } from '../types.js';

/** The events the projection folds. */
export type StatusInput =
  | 'webshop.order.created'
  | 'webshop.payment.completed'
  | 'webshop.payment.failed'
  | 'webshop.order.shipped'
  | 'webshop.notification.sent';

/** The status each event type moves an order to, and how far along that is (the furthest one wins). */
const stages: Record<StatusInput, { status: OrderStatusName; rank: number }> = {
  'webshop.order.created': { status: 'created', rank: 0 },
  'webshop.payment.completed': { status: 'paid', rank: 1 },
  'webshop.payment.failed': { status: 'payment_failed', rank: 2 },
  'webshop.order.shipped': { status: 'shipped', rank: 3 },
  'webshop.notification.sent': { status: 'customer_notified', rank: 4 },
};

const isInput = (type: string): type is StatusInput => Object.hasOwn(stages, type);
const entryKey = (entry: OrderHistoryEntry): string => `${entry.topic}/${entry.partition}/${entry.offset}`;

/** Event time, then topic, partition and offset: the same order of history lines whatever the arrival order. */
export function compareEntries(a: OrderHistoryEntry, b: OrderHistoryEntry): number {
  const byTime = Date.parse(a.time) - Date.parse(b.time);
  if (byTime !== 0) return byTime;
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return Number(BigInt(a.offset) - BigInt(b.offset));
}

/**
 * Folds one event, read at `source` at `now` (when the event has no time), into the order's record so far.
 * Returns undefined when the event is already in the history (a replay or a duplicate).
 * @example foldStatus(undefined, orderCreatedEvent, { topic: 'order_created', partition: 2, offset: '7' }, now)
 */
export function foldStatus(
  previous: OrderStatus | undefined,
  event: ReceivedEvent<StatusInput>,
  source: EventSource,
  now: Date,
): OrderStatus | undefined {
  const entry: OrderHistoryEntry = {
    type: event.type,
    time: event.time === undefined ? now.toISOString() : new Date(event.time).toISOString(),
    topic: source.topic,
    partition: source.partition,
    offset: source.offset,
  };
  if (previous?.history.some((known) => entryKey(known) === entryKey(entry))) return undefined;
  const history = [...(previous?.history ?? []), entry].sort(compareEntries);
  const furthest = history
    .map(({ type }) => type)
    .filter(isInput)
    .reduce((best, type) => (stages[type].rank > stages[best].rank ? type : best), event.type);
  // order_created's amount and correlation id win; before it arrives, the first event's stand in (the shop's
  // events of one order carry the same ones).
  const created = event.type === 'webshop.order.created';
  const carried = 'amount' in event.data ? event.data.amount : undefined;
  const amount = created ? (carried ?? previous?.amount) : (previous?.amount ?? carried);
  return {
    orderId: event.data.orderId,
    ...(amount === undefined ? {} : { amount }),
    status: stages[furthest].status,
    correlationId: created || previous === undefined ? correlationIdOf(event) : previous.correlationId,
    createdAt: history[0]!.time,
    updatedAt: history.reduce(
      (latest, { time }) => (Date.parse(time) > Date.parse(latest) ? time : latest),
      entry.time,
    ),
    history,
  };
}

const isStatus = (data: object): data is OrderStatus => 'history' in data;

/** The longest the broker holds the status actor's fetch: a member that leaves waits for its fetch in flight. */
const maxFetchWaitMs = 500;

/** The order-status projection, on the shared runtime with its idempotency inside the fold. */
export const statusActor: ActorDefinition<StatusInput> = {
  name: 'status',
  groupId: 'status',
  inputs: ['order_created', 'payment_completed', 'payment_failed', 'order_shipped', 'notification_sent'],
  accepts: Object.keys(stages) as StatusInput[],
  emits: ['webshop.order.status'],
  idempotency: 'fold',
  // A record folds every event of the one before it, so the longer history is the later record.
  supersedes: (next, current) => isStatus(next) && isStatus(current) && next.history.length >= current.history.length,
  // A read model: it commits at most every STATUS_COMMIT_INTERVAL_MS, as Kafka Streams commits every 100 ms.
  commitIntervalMs: (config) => config.statusCommitIntervalMs,
  // And reads about as often (half a second at most): else the broker answers its fetch at every append to any of
  // its 30 input partitions, about two fetches per order, and every order's tail is longer (bench/README.md).
  fetchWaitMs: (config) => Math.min(config.statusCommitIntervalMs, maxFetchWaitMs),
  handle(event, { previous, source, now, log }) {
    const record = foldStatus(previous && isStatus(previous) ? previous : undefined, event, source, now());
    if (record === undefined) {
      log.debug('event already folded', { status: previous && isStatus(previous) ? previous.status : undefined });
      return [];
    }
    return [{ type: 'webshop.order.status', data: record }];
  },
};
