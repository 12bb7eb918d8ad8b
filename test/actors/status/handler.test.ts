// Unit tests of the status actor's pure fold: the same record whatever the arrival order of an order's
// events, replays and duplicates ignored, and the record valid against its schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldStatus, statusActor, type StatusInput } from '../../../src/actors/status/handler.js';
import { loadConfig } from '../../../src/config.js';
import type { EventSource } from '../../../src/actors/types.js';
import { createEvent, decodeEvent, encodeEvent, type ReceivedEvent } from '../../../src/contracts/envelope.js';
import type { EventData } from '../../../src/contracts/events.js';
import { isSettled, type OrderStatus } from '../../../src/contracts/order-status.js';
import { handlerContext, now } from '../handler-context.js';

interface Read {
  event: ReceivedEvent<StatusInput>;
  source: EventSource;
}

const at = (ms: number) => new Date(Date.parse('2025-03-04T05:06:07.000Z') + ms);
function read<T extends StatusInput>(type: T, data: EventData[T], ms: number, topic: string, offset: number): Read {
  const event = createEvent(type, data, { source: 'test', correlationId: 'req-1', time: at(ms) });
  return { event: decodeEvent(encodeEvent(event), [type]), source: { topic, partition: 2, offset: String(offset) } };
}

const paidJourney: Read[] = [
  read('webshop.order.created', { orderId: 'o-1', amount: 50 }, 0, 'order_created', 7),
  read('webshop.payment.completed', { orderId: 'o-1', amount: 50, paymentId: 'p-1' }, 5, 'payment_completed', 3),
  read('webshop.order.shipped', { orderId: 'o-1', shipmentId: 's-1' }, 9, 'order_shipped', 4),
];
const failedJourney: Read[] = [
  read('webshop.order.created', { orderId: 'o-2', amount: 350 }, 0, 'order_created', 8),
  read(
    'webshop.payment.failed',
    {
      orderId: 'o-2',
      amount: 350,
      reason: 'insufficient_funds',
      message: 'Payment failed due to insufficient funds',
    },
    3,
    'payment_failed',
    1,
  ),
  // The same time as the failure: the history's order falls back on topic, partition and offset.
  read('webshop.notification.sent', { orderId: 'o-2', channel: 'email', message: 'sorry' }, 3, 'notification_sent', 1),
];

const fold = (reads: Read[]): OrderStatus | undefined =>
  reads.reduce<OrderStatus | undefined>(
    (record, { event, source }) => foldStatus(record, event, source, now) ?? record,
    undefined,
  );

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

test('a paid and shipped order folds into one record with its three events in time order', () => {
  assert.deepEqual(fold(paidJourney), {
    orderId: 'o-1',
    amount: 50,
    status: 'shipped',
    correlationId: 'req-1',
    createdAt: at(0).toISOString(),
    updatedAt: at(9).toISOString(),
    history: [
      { type: 'webshop.order.created', time: at(0).toISOString(), topic: 'order_created', partition: 2, offset: '7' },
      {
        type: 'webshop.payment.completed',
        time: at(5).toISOString(),
        topic: 'payment_completed',
        partition: 2,
        offset: '3',
      },
      { type: 'webshop.order.shipped', time: at(9).toISOString(), topic: 'order_shipped', partition: 2, offset: '4' },
    ],
  });
});

test('every arrival order of an order’s events gives the same record', () => {
  for (const journey of [paidJourney, failedJourney]) {
    const expected = fold(journey);
    for (const order of permutations(journey)) assert.deepEqual(fold(order), expected);
  }
  assert.equal(fold(failedJourney)?.status, 'customer_notified');
  assert.deepEqual(
    fold(failedJourney)?.history.map(({ topic }) => topic),
    ['order_created', 'notification_sent', 'payment_failed'],
  );
});

test('a shipped read before its payment already says shipped, and takes the amount from the payment', () => {
  const record = fold([paidJourney[2]!, paidJourney[1]!]);
  assert.equal(record?.status, 'shipped');
  assert.equal(record?.amount, 50);
  assert.equal(record?.createdAt, at(5).toISOString());
});

test('an order is settled only once its record holds every event on the way to its terminal status, in any order', () => {
  for (const journey of [paidJourney, failedJourney]) {
    for (const order of permutations(journey)) {
      const records = order.map((_, index) => fold(order.slice(0, index + 1))!);
      assert.deepEqual(
        records.map(isSettled),
        [false, false, true],
        order.map(({ source }) => source.topic).join(' -> '),
      );
    }
  }
  // A terminal status read first is not settled: the notification of o-2 before its order and its payment.
  const early = fold([failedJourney[2]!]);
  assert.equal(early?.status, 'customer_notified');
  assert.equal(isSettled(early!), false);
  assert.equal(isSettled(fold(paidJourney.slice(0, 2))!), false, 'paid is not terminal');
});

test('an event read again at the same place adds nothing: the fold answers undefined', () => {
  const record = fold(paidJourney);
  for (const { event, source } of paidJourney) assert.equal(foldStatus(record, event, source, now), undefined);
  assert.deepEqual(fold([...paidJourney, ...paidJourney, paidJourney[0]!]), record);
});

test('the status actor emits the folded record as webshop.order.status, valid against its schema', () => {
  const context = { ...handlerContext('status-1'), source: paidJourney[0]!.source };
  const [output] = statusActor.handle(paidJourney[0]!.event, context);
  assert.equal(output?.type, 'webshop.order.status');
  const event = createEvent(output!.type, output!.data, { source: 'webshop/status', correlationId: 'req-1' });
  assert.deepEqual(decodeEvent(encodeEvent(event), ['webshop.order.status']).data, fold([paidJourney[0]!]));
});

test('the status actor emits nothing for an event its previous record already holds', () => {
  const previous = fold(paidJourney);
  const context = { ...handlerContext('status-1'), source: paidJourney[1]!.source, previous };
  assert.deepEqual(statusActor.handle(paidJourney[1]!.event, context), []);
});

test('a record with a longer history supersedes a shorter one, never the reverse', () => {
  const short = fold(paidJourney.slice(0, 1))!;
  const long = fold(paidJourney)!;
  assert.equal(statusActor.supersedes?.(long, short), true);
  assert.equal(statusActor.supersedes?.(short, long), false);
});

test("the status actor's commit interval is STATUS_COMMIT_INTERVAL_MS (100 ms unless set), whatever ACTOR_COMMIT_INTERVAL_MS says", () => {
  assert.equal(statusActor.commitIntervalMs?.(loadConfig({})), 100);
  assert.equal(
    statusActor.commitIntervalMs?.(loadConfig({ STATUS_COMMIT_INTERVAL_MS: '0', ACTOR_COMMIT_INTERVAL_MS: '50' })),
    0,
  );
  assert.throws(() => loadConfig({ STATUS_COMMIT_INTERVAL_MS: '-1' }), /STATUS_COMMIT_INTERVAL_MS/);
});

test("the status actor's fetches are held as long as its commit interval, half a second at most, and not at all at 0", () => {
  assert.equal(statusActor.fetchWaitMs?.(loadConfig({})), 100);
  assert.equal(statusActor.fetchWaitMs?.(loadConfig({ STATUS_COMMIT_INTERVAL_MS: '40' })), 40);
  assert.equal(statusActor.fetchWaitMs?.(loadConfig({ STATUS_COMMIT_INTERVAL_MS: '5000' })), 500);
  assert.equal(statusActor.fetchWaitMs?.(loadConfig({ STATUS_COMMIT_INTERVAL_MS: '0' })), 0);
});
