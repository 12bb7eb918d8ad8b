// Unit tests of the batch runner with a fake processBatch and mocked timers: a retry pauses the partition until
// it is due, a stopping actor leaves its retry to the next owner, a failed transaction backs off on a stale ledger.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import winston from 'winston';
import type { BatchOutcome } from '../../src/actors/batch.js';
import { batchRunner } from '../../src/actors/batch-runner.js';
import { createRetryPolicy } from '../../src/actors/retry-policy.js';
import type { EachBatchPayload } from '../../src/kafka/client.js';
import { ProducerFailed } from '../../src/kafka/producer-failure.js';

/** A runner whose batches end as `next` says; records pauses, resumes, ledger reads and fatal errors. */
function runnerOn(t: TestContext, next: () => Promise<BatchOutcome>, stopping = false) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const seen: string[] = [];
  const runner = batchRunner({
    process: next,
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
    batch: { topic: 't.order_created', partition: 2, messages: [] },
    pause: () => {
      seen.push('paused');
      return () => seen.push('resumed');
    },
  } as unknown as EachBatchPayload;
  return { runner, seen, run: () => runner.eachBatch(payload) };
}

test('a message to retry pauses its partition until the retry is due', async (t) => {
  const { runner, seen, run } = runnerOn(t, async () => ({ kind: 'retry', offset: '4', delayMs: 100 }));
  await run();
  assert.deepEqual(seen, ['ledger read', 'progressed', 'paused']);
  assert.equal(runner.idle(), false, 'a retry is due: the watchdog waits');
  t.mock.timers.tick(100);
  assert.deepEqual(seen.at(-1), 'resumed');
  assert.equal(runner.idle(), true);
});

test('a stopping actor does not pause for a retry: the message is left to the next owner', async (t) => {
  const { runner, seen, run } = runnerOn(t, async () => ({ kind: 'retry', offset: '4', delayMs: 100 }), true);
  await run();
  assert.deepEqual(seen, ['ledger read', 'progressed']);
  assert.equal(runner.idle(), true);
});

test('stopping cancels the retries not due yet, and their partitions stay paused', async (t) => {
  const { runner, seen, run } = runnerOn(t, async () => ({ kind: 'retry', offset: '4', delayMs: 100 }));
  await run();
  assert.equal(runner.cancelRetries(), 1);
  t.mock.timers.tick(1000);
  assert.equal(seen.includes('resumed'), false);
});

test('a batch whose transaction failed marks the ledger stale and backs off longer each time', async (t) => {
  const { seen, run } = runnerOn(t, () => Promise.reject(new Error('transaction aborted')));
  await run();
  await run();
  assert.deepEqual(seen, ['ledger read', 'ledger stale', 'paused', 'ledger read', 'ledger stale', 'paused']);
  t.mock.timers.tick(100);
  assert.equal(seen.filter((entry) => entry === 'resumed').length, 1, 'the second waits 200 ms');
  t.mock.timers.tick(100);
  assert.equal(seen.filter((entry) => entry === 'resumed').length, 2);
});

test('a fenced producer ends the instance instead of a retry', async (t) => {
  const { seen, run } = runnerOn(t, () => Promise.reject(new ProducerFailed('the producer was fenced', true)));
  await run();
  assert.deepEqual(seen, ['ledger read', 'fatal']);
});

test('a revoke or a stop waits for the batches in flight', async (t) => {
  let finish: (outcome: BatchOutcome) => void = () => undefined;
  const { runner, run } = runnerOn(t, () => new Promise((resolve) => (finish = resolve)));
  const running = run();
  await new Promise(setImmediate);
  assert.equal(runner.inFlight(), 1);
  let settled = false;
  const waiting = runner.settled().then(() => (settled = true));
  await new Promise(setImmediate);
  assert.equal(settled, false);
  finish({ kind: 'done' });
  await Promise.all([running, waiting]);
  assert.equal(runner.inFlight(), 0);
});

test('batches of one partition number of two inputs run one after the other; other partitions do not wait', async () => {
  const order: string[] = [];
  const releases: (() => void)[] = [];
  const runner = batchRunner({
    process: async (payload) => {
      const name = `${payload.batch.topic}/${payload.batch.partition}`;
      order.push(`start ${name}`);
      await new Promise<void>((resolve) => releases.push(resolve));
      order.push(`end ${name}`);
      return { kind: 'done' };
    },
    ledger: { current: async () => undefined, markStale: () => undefined },
    retries: createRetryPolicy({ retryAttempts: 3, retryBaseMs: 100, retryMaxMs: 1000 }),
    isStopping: () => false,
    progressed: () => undefined,
    onFatal: () => undefined,
    topic: 't.order_created,t.order_shipped',
    log: winston.createLogger({ silent: true }),
  });
  const batch = (topic: string, partition: number) =>
    runner.eachBatch({
      batch: { topic, partition, messages: [] },
      pause: () => () => undefined,
    } as unknown as EachBatchPayload);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const all = [batch('created', 2), batch('shipped', 2), batch('shipped', 3)];
  await settle();
  assert.deepEqual(order, ['start created/2', 'start shipped/3']);
  releases.shift()!();
  await settle();
  assert.deepEqual(order, ['start created/2', 'start shipped/3', 'end created/2', 'start shipped/2']);
  while (releases.length > 0) {
    releases.shift()!();
    await settle();
  }
  await Promise.all(all);
  assert.equal(runner.idle(), true);
});
