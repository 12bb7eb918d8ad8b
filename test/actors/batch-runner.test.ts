// Unit tests of the batch runner with a fake processBatch and mocked timers: a retry pauses the partition until
// it is due, a stopping actor leaves its retry to the next owner, a failed transaction backs off on a stale ledger
// and reads its partition again from the first message not committed.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import winston from 'winston';
import type { HandledBatch } from '../../src/actors/batch.js';
import { batchRunner } from '../../src/actors/batch-runner.js';
import { OutOfTurn, RolledBack } from '../../src/actors/group-commit.js';
import { createRetryPolicy } from '../../src/actors/retry-policy.js';
import type { GroupBatchPayload } from '../../src/kafka/group-consumer.js';
import { ProducerFailed } from '../../src/kafka/producer-failure.js';
import { letGo } from '../let-go.js';

const done = (committed?: Promise<void>): HandledBatch => ({ outcome: { kind: 'done' }, committed });
const retry = (committed?: Promise<void>): HandledBatch => ({
  outcome: { kind: 'retry', offset: '4', delayMs: 100 },
  committed,
});

/** A runner whose batches end as `next` says; records pauses, resumes, seeks, ledger reads and fatal errors. */
function runnerOn(t: TestContext, next: () => HandledBatch, stopping = false, firstOffset = '2') {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const seen: string[] = [];
  const runner = batchRunner({
    process: next,
    seek: (topic, partition, offset) => void seen.push(`seek ${topic}/${partition} to ${offset}`),
    ledger: {
      current: async () => void seen.push('ledger read'),
      markStale: () => void seen.push('ledger stale'),
    },
    retries: createRetryPolicy({ retryAttempts: 3, retryBaseMs: 100, retryMaxMs: 1000 }),
    isStopping: () => stopping,
    progressed: () => void seen.push('progressed'),
    onFatal: () => void seen.push('fatal'),
    topic: 't.order_created',
    log: winston.createLogger({ silent: true }),
  });
  const payload = {
    batch: { topic: 't.order_created', partition: 2, messages: [{ offset: firstOffset }] },
    pause: () => {
      seen.push('paused');
      return () => seen.push('resumed');
    },
  } as unknown as GroupBatchPayload;
  return { runner, seen, run: () => runner.eachBatch(payload) };
}

test('a message to retry pauses its partition until the retry is due', async (t) => {
  const { runner, seen, run } = runnerOn(t, () => retry(Promise.resolve()));
  await run();
  await new Promise(setImmediate);
  assert.deepEqual(seen, ['ledger read', 'paused', 'progressed']);
  assert.equal(runner.idle(), false, 'a retry is due: the watchdog waits');
  t.mock.timers.tick(100);
  assert.deepEqual(seen.at(-1), 'resumed');
  assert.equal(runner.idle(), true);
});

test('a stopping actor does not pause for a retry: the message is left to the next owner', async (t) => {
  const { runner, seen, run } = runnerOn(t, () => retry(), true);
  await run();
  assert.deepEqual(seen, ['ledger read', 'progressed']);
  assert.equal(runner.idle(), true);
});

test('stopping cancels the retries not due yet, and their partitions stay paused', async (t) => {
  const { runner, seen, run } = runnerOn(t, () => retry());
  await run();
  assert.equal(runner.cancelRetries(), 1);
  t.mock.timers.tick(1000);
  assert.equal(seen.includes('resumed'), false);
});

test('a failed transaction reads the partition again from its first message not committed, after a back-off', async (t) => {
  const rolledBack = () => new RolledBack(new Map([['t.order_created/2', '2']]), new Error('transaction aborted'));
  const { seen, run, runner } = runnerOn(t, () => done(Promise.reject(rolledBack())));
  await run();
  await runner.settled();
  await run();
  await runner.settled();
  const once = ['ledger read', 'seek t.order_created/2 to 2', 'ledger stale', 'paused'];
  assert.deepEqual(seen, [...once, ...once]);
  t.mock.timers.tick(100);
  assert.equal(seen.filter((entry) => entry === 'resumed').length, 1, 'the second waits 200 ms');
  t.mock.timers.tick(100);
  assert.equal(seen.filter((entry) => entry === 'resumed').length, 2);
});

test("a partition's later batch rolled back with an earlier one leaves the seek and the back-off to that one", async (t) => {
  const rolledBack = new RolledBack(new Map([['t.order_created/2', '2']]), new Error('transaction aborted'));
  const { seen, run, runner } = runnerOn(t, () => done(Promise.reject(rolledBack)), false, '9');
  await run();
  await runner.settled();
  assert.deepEqual(seen, ['ledger read']);
});

test('a batch refused out of turn reads its partition again from where the last accepted batch ended', async (t) => {
  const { seen, run, runner } = runnerOn(t, () => done(Promise.reject(new OutOfTurn('7'))));
  await run();
  await runner.settled();
  assert.deepEqual(seen, ['ledger read', 'seek t.order_created/2 to 7']);
});

test('a fenced producer ends the instance instead of a retry', async (t) => {
  const fenced = new ProducerFailed('the producer was fenced', true);
  const { seen, run, runner } = runnerOn(t, () => done(Promise.reject(new RolledBack(new Map(), fenced))));
  await run();
  await runner.settled();
  assert.deepEqual(seen, ['ledger read', 'fatal']);
});

test("eachBatch returns before its transaction ends, but not before the partition's previous one has", async (t) => {
  const commits: (() => void)[] = [];
  const { runner, run } = runnerOn(t, () => done(new Promise<void>((resolve) => commits.push(resolve))));
  await run();
  assert.equal(runner.inFlight(), 1, 'the first transaction is under way');
  let secondReturned = false;
  const second = run().then(() => (secondReturned = true));
  await new Promise(setImmediate);
  assert.equal(secondReturned, false, 'two batches of a partition are uncommitted at most');
  commits.shift()!();
  await second;
  assert.equal(runner.inFlight(), 1);
  let settled = false;
  const waiting = runner.settled().then(() => (settled = true));
  await new Promise(setImmediate);
  assert.equal(settled, false, 'a revoke or a stop waits for the transactions under way');
  commits.shift()!();
  await waiting;
  assert.equal(runner.idle(), true);
});

test('batches of one partition number of two inputs are handled one after the other, not waiting for commits', async () => {
  const order: string[] = [];
  const reads: (() => void)[] = [];
  const commits: (() => void)[] = [];
  const runner = batchRunner({
    process: (payload) => {
      order.push(`handle ${payload.batch.topic}/${payload.batch.partition}`);
      return done(new Promise<void>((resolve) => commits.push(resolve)));
    },
    seek: () => undefined,
    ledger: { current: () => new Promise<void>((resolve) => reads.push(resolve)), markStale: () => undefined },
    retries: createRetryPolicy({ retryAttempts: 3, retryBaseMs: 100, retryMaxMs: 1000 }),
    isStopping: () => false,
    progressed: () => undefined,
    onFatal: () => undefined,
    topic: 't.order_created,t.order_shipped',
    log: winston.createLogger({ silent: true }),
  });
  const batch = (topic: string, partition: number) =>
    runner.eachBatch({
      batch: { topic, partition, messages: [{ offset: '0' }] },
      pause: () => () => undefined,
    } as unknown as GroupBatchPayload);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const all = [batch('created', 2), batch('shipped', 2), batch('shipped', 3)];
  await settle();
  assert.equal(reads.length, 2, 'shipped/2 waits for the turn of created/2; shipped/3 does not');
  reads.shift()!();
  await settle();
  assert.deepEqual(order, ['handle created/2']);
  reads.shift()!();
  await settle();
  reads.shift()!();
  await settle();
  assert.deepEqual(order, ['handle created/2', 'handle shipped/3', 'handle shipped/2']);
  await Promise.all(all);
  assert.equal(commits.length, 3, 'every eachBatch returned with its transaction under way');
  for (const commit of commits) commit();
  await runner.settled();
  assert.equal(runner.idle(), true);
});

test("a batch's messages are let go once it is handled, while its and the partition's previous transaction commit", async (t) => {
  const commits: (() => void)[] = [];
  const { runner } = runnerOn(t, () => done(new Promise<void>((resolve) => commits.push(resolve))));
  const handle = (offset: string): { weak: WeakRef<object>; returned: Promise<void> } => {
    const message = { offset };
    const batch = { topic: 't.order_created', partition: 2, messages: [message] };
    const returned = runner.eachBatch({ batch, pause: () => () => undefined } as unknown as GroupBatchPayload);
    return { weak: new WeakRef(message), returned };
  };
  const first = handle('2');
  await first.returned;
  const second = handle('3');
  let secondReturned = false;
  void second.returned.then(() => (secondReturned = true));
  assert.ok(await letGo(first.weak), 'the runner holds no message of the batch whose transaction is under way');
  assert.ok(await letGo(second.weak), 'nor of the batch that waits for it');
  assert.equal(secondReturned, false, 'the second batch returns only once the first transaction has ended');
  for (const commit of commits) commit();
  await second.returned;
  await runner.settled();
});
