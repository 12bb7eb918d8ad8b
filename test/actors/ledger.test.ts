// Unit tests of the order ledger, fed by a fake follower instead of the actor's output topics on a broker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openLedger, type LedgerOptions } from '../../src/actors/ledger.js';
import { createEvent, encodeEvent } from '../../src/contracts/envelope.js';
import type { EventType } from '../../src/contracts/events.js';
import type { KafkaMessage } from '../../src/kafka/client.js';

const message = (key: string, value: Buffer): KafkaMessage =>
  ({ key: Buffer.from(key), value, offset: '0', timestamp: '0', headers: {} }) as unknown as KafkaMessage;

const paid = (orderId: string): KafkaMessage =>
  message(
    orderId,
    encodeEvent(
      createEvent(
        'webshop.payment.completed',
        { orderId, amount: 10, paymentId: 'p' },
        { source: 'test', correlationId: 'c' },
      ),
    ),
  );

const noSkipping = { skip: () => undefined, skipSince: () => undefined, resume: () => undefined };

/** A ledger on a follower whose reads the test answers: `read()` resolves the oldest pending catch-up. */
async function fakeLedger() {
  const catchUps: { timeoutMs: number; finish(error?: Error): void }[] = [];
  let deliver: (message: KafkaMessage) => void = () => undefined;
  const ledger = await openLedger(['webshop.payment.completed'], async (onMessage) => {
    deliver = onMessage;
    return {
      catchUp: (timeoutMs) =>
        new Promise<void>((resolve, reject) =>
          catchUps.push({ timeoutMs, finish: (error) => (error ? reject(error) : resolve()) }),
        ),
      close: async () => undefined,
      ...noSkipping,
    };
  });
  return { ledger, catchUps, deliver: (entry: KafkaMessage) => deliver(entry) };
}

/** A ledger on a follower that is always caught up; `deliver` passes it a message read back. */
async function caughtUpLedger(emits: readonly EventType[], options: LedgerOptions) {
  let deliver: (message: KafkaMessage) => void = () => undefined;
  const ledger = await openLedger(
    emits,
    async (onMessage) => {
      deliver = onMessage;
      return { catchUp: async () => undefined, close: async () => undefined, ...noSkipping };
    },
    options,
  );
  return { ledger, deliver: (entry: KafkaMessage) => deliver(entry) };
}

test('the ledger knows the orders of valid outputs of the actor and of what it added, and nothing else', async () => {
  const { ledger, deliver } = await fakeLedger();
  deliver(paid('o-1'));
  deliver(message('o-2', Buffer.from('{not an event')));
  const shipped = createEvent(
    'webshop.order.shipped',
    { orderId: 'o-3', shipmentId: 's' },
    { source: 't', correlationId: 'c' },
  );
  deliver(message('o-3', encodeEvent(shipped)));
  ledger.add(['o-4']);
  assert.deepEqual(
    ['o-1', 'o-2', 'o-3', 'o-4'].map((orderId) => ledger.has(orderId)),
    [true, false, false, true],
  );
});

test('a stale ledger reads to the end once, however many batches ask at the same time, then answers at once', async () => {
  const { ledger, catchUps } = await fakeLedger();
  const first = ledger.current(15000);
  const second = ledger.current(15000);
  assert.equal(catchUps.length, 1, 'one read for both');
  catchUps[0]!.finish();
  await Promise.all([first, second]);
  await ledger.current(15000);
  assert.equal(catchUps.length, 1, 'a current ledger does not read again');
  ledger.markStale();
  const third = ledger.current(15000);
  assert.equal(catchUps.length, 2, 'marked stale, it reads again');
  catchUps[1]!.finish();
  await third;
});

test('a read that fails rejects every batch waiting for it and leaves the ledger stale', async () => {
  const { ledger, catchUps } = await fakeLedger();
  const waiting = [ledger.current(100), ledger.current(100)];
  catchUps[0]!.finish(new Error('timed out'));
  for (const result of await Promise.allSettled(waiting)) assert.equal(result.status, 'rejected');
  const again = ledger.current(100);
  assert.equal(catchUps.length, 2, 'the next batch tries the read again');
  catchUps[1]!.finish();
  await again;
});

test('a fold’s ledger keeps the order’s latest output: a record read back late never replaces a later one', async () => {
  const { ledger, deliver } = await caughtUpLedger(['webshop.order.status'], {
    outputs: {
      supersedes: (next, current) =>
        'history' in next && 'history' in current && next.history.length >= current.history.length,
    },
  });
  const entry = (offset: string) => ({
    type: 'webshop.order.created',
    time: '2025-01-01T00:00:00.000Z',
    topic: 'order_created',
    partition: 0,
    offset,
  });
  const record = (offsets: string[]) => ({
    orderId: 'o-1',
    amount: 10,
    status: 'created' as const,
    correlationId: 'c',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    history: offsets.map(entry),
  });
  const statusMessage = (offsets: string[]) =>
    message(
      'o-1',
      encodeEvent(createEvent('webshop.order.status', record(offsets), { source: 't', correlationId: 'c' })),
    );
  ledger.keep(new Map([['o-1', record(['1', '2'])]]));
  deliver(statusMessage(['1']));
  assert.deepEqual(ledger.latest('o-1'), record(['1', '2']));
  deliver(statusMessage(['1', '2', '3']));
  assert.deepEqual(ledger.latest('o-1'), record(['1', '2', '3']));
  assert.equal(ledger.latest('o-2'), undefined);
});

test('orders of a batch whose transaction is under way count as done; a failed one is forgotten', async () => {
  const { ledger } = await fakeLedger();
  const first = ledger.hold(['o-1'], new Map());
  const second = ledger.hold(['o-2'], new Map());
  assert.deepEqual([ledger.has('o-1'), ledger.has('o-2')], [true, true], 'the next batch skips them');
  first.settle(true);
  second.settle(false);
  assert.deepEqual([ledger.has('o-1'), ledger.has('o-2')], [true, false]);
});

test('a fold sees the latest output held, and nothing held once a transaction failed and dropped it all', async () => {
  const ledger = await openLedger(
    ['webshop.payment.completed'],
    async () => ({ catchUp: async () => undefined, close: async () => undefined, ...noSkipping }),
    { outputs: { supersedes: () => true } },
  );
  const output = (paymentId: string) => ({ orderId: 'o-1', amount: 10, paymentId });
  ledger.keep(new Map([['o-1', output('committed')]]));
  const first = ledger.hold([], new Map([['o-1', output('first')]]));
  const second = ledger.hold([], new Map([['o-1', output('second')]]));
  assert.deepEqual(ledger.latest('o-1'), output('second'));
  first.settle(true);
  assert.deepEqual(ledger.latest('o-1'), output('second'), 'the later batch still holds it');
  ledger.failed();
  second.settle(false);
  assert.deepEqual(ledger.latest('o-1'), output('first'), 'what committed stays');
});

/** A ledger on a fake follower of two output topics that records what it is told to skip, move and resume. */
async function skippingLedger() {
  const calls: string[] = [];
  const catchUps: (() => void)[] = [];
  const named = (partitions: { topic: string; partition: number }[]) =>
    partitions.map(({ topic, partition }) => `${topic}/${partition}`).join(' ');
  const ledger = await openLedger(
    ['webshop.payment.completed'],
    async () => ({
      catchUp: () => new Promise<void>((resolve) => catchUps.push(resolve)),
      close: async () => undefined,
      skip: (partitions) => calls.push(`skip ${named(partitions)}`),
      skipSince: ({ topic, partition, since }) => calls.push(`skipSince ${topic}/${partition}@${since}`),
      resume: (partitions) => calls.push(`resume ${named(partitions)}`),
    }),
    { topics: ['completed', 'failed'] },
  );
  /** Brings the ledger up to date: the fake catch-up answers at once. */
  const current = async () => {
    const reading = ledger.current(1000);
    catchUps.shift()?.();
    await reading;
  };
  return { ledger, calls, current, finishCatchUp: () => catchUps.shift()!() };
}

test('once current, the ledger stops reading back the output partitions it alone writes, and reads them again when they go', async () => {
  const { ledger, calls, current } = await skippingLedger();
  ledger.own(new Set([0, 2]));
  assert.deepEqual(calls.splice(0), [], 'nothing is skipped before the ledger is current');
  await current();
  assert.deepEqual(calls.splice(0), ['skip completed/0 failed/0 completed/2 failed/2']);
  ledger.wrote([
    { topic: 'completed', partition: 2, since: 40 },
    { topic: 'completed', partition: 5, since: 7 },
  ]);
  assert.deepEqual(
    calls.splice(0),
    ['skipSince completed/2@40'],
    'a committed transaction moves a skipped partition on',
  );
  ledger.own(new Set([2]));
  assert.deepEqual(calls.splice(0), ['resume completed/0 failed/0'], 'a partition that goes is read again');
});

test('after a failed transaction the ledger reads its skipped partitions again from before it, then skips them again', async () => {
  const { ledger, calls, current, finishCatchUp } = await skippingLedger();
  ledger.own(new Set([1]));
  await current();
  calls.splice(0);
  ledger.failed();
  ledger.wrote([{ topic: 'completed', partition: 1, since: 90 }]);
  assert.deepEqual(calls.splice(0), [], 'a later commit does not move a partition past the failed transaction');
  const reading = ledger.current(1000);
  assert.deepEqual(calls.splice(0), ['resume completed/1 failed/1'], 'read again before the catch-up');
  finishCatchUp();
  await reading;
  assert.deepEqual(calls.splice(0), ['skip completed/1 failed/1'], 'skipped again once current');
});

test('with a window the ledger forgets an order once the generation after its output has ended, checked before each batch', async () => {
  const hour = 3_600_000;
  let clock = 100 * hour;
  const { ledger, deliver } = await caughtUpLedger(['webshop.payment.completed'], {
    windowMs: hour,
    now: () => clock,
  });
  const stamped = (orderId: string, time: number): KafkaMessage => ({ ...paid(orderId), timestamp: String(time) });
  deliver(stamped('read-back', 99 * hour));
  deliver(stamped('too-old', 99 * hour - 1));
  ledger.add(['added']);
  await ledger.current(1000);
  assert.deepEqual(
    ['read-back', 'too-old', 'added'].map((orderId) => ledger.has(orderId)),
    [true, false, true],
    'an output from before the last generation counts for nothing',
  );
  clock = 101 * hour;
  assert.equal(ledger.has('read-back'), true, 'nothing is forgotten until the next batch asks');
  await ledger.current(1000);
  assert.deepEqual([ledger.has('read-back'), ledger.has('added')], [false, true]);
  clock = 102 * hour;
  await ledger.current(1000);
  assert.equal(ledger.has('added'), false);
});
