// Unit tests of src/kafka/partition-batches.ts (a group member's batches, no client): one batch of a partition at a
// time and at most `concurrency` at once; what a batch left unresolved is read again; a seek, a pause or a revoke
// drops what was fetched of the partition and makes its batch in flight stale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '@confluentinc/kafka-javascript';
import winston from 'winston';
import { partitionBatches, type GroupBatchPayload } from '../../src/kafka/partition-batches.js';
import { waitFor } from '../helpers.js';

const message = (partition: number, offset: number): Message => ({
  topic: 't',
  partition,
  offset,
  value: Buffer.from(`p${partition}-${offset}`),
  key: null,
  size: 0,
  timestamp: 0,
});
const messages = (partition: number, ...offsets: number[]): Message[] =>
  offsets.map((offset) => message(partition, offset));

/** Batches over partitions 0-3 of topic `t`; each batch waits until the test ends it, resolving as told. */
function batchesOn(options: { concurrency?: number; batchSize?: number } = {}) {
  const held = new Set(['t/0', 't/1', 't/2', 't/3']);
  const running: { payload: GroupBatchPayload; end(resolveTo?: number): void }[] = [];
  const fetching: string[] = [];
  const batches = partitionBatches({
    batchSize: options.batchSize ?? 500,
    concurrency: options.concurrency ?? 6,
    eachBatch: (payload) =>
      new Promise<void>((resolve) => {
        running.push({
          payload,
          end(resolveTo = Number(payload.batch.messages.at(-1)!.offset)) {
            if (resolveTo >= 0) payload.resolveOffset(String(resolveTo));
            resolve();
          },
        });
      }),
    holds: (key) => held.has(key),
    fetching: ({ topic, partition }, on) => void fetching.push(`${on ? 'resume' : 'pause'} ${topic}/${partition}`),
    isRunning: () => true,
    onBatchEnd: () => undefined,
    log: winston.createLogger({ silent: true }),
  });
  const offsets = (index: number): number[] =>
    running[index]!.payload.batch.messages.map(({ offset }) => Number(offset));
  return { batches, running, fetching, held, offsets };
}

test("a partition's messages fetched while its batch runs come as its next batch, after that one ended", async () => {
  const { batches, running, offsets } = batchesOn();
  batches.add([...messages(0, 1, 2), ...messages(1, 7)]);
  assert.deepEqual([offsets(0), offsets(1)], [[1, 2], [7]], 'one batch per partition, both at once');
  batches.add(messages(0, 3, 4));
  assert.equal(running.length, 2, 'partition 0 waits for its batch in flight');
  assert.equal(batches.buffered(), 2);
  running[0]!.end();
  await waitFor('the next batch of partition 0', () => running.length === 3);
  assert.deepEqual(offsets(2), [3, 4]);
  assert.deepEqual(batches.takeSeeks(), [], 'a batch resolved to its end is not read again');
});

test('no more batches run at once than the concurrency allows; the others start as batches end', async () => {
  const { batches, running } = batchesOn({ concurrency: 2 });
  batches.add([...messages(0, 1), ...messages(1, 1), ...messages(2, 1)]);
  assert.equal(running.length, 2);
  running[0]!.end();
  await waitFor('the third partition to start', () => running.length === 3);
  assert.equal(running[2]!.payload.batch.partition, 2);
});

test('what a batch left unresolved is read again from its first message not resolved, and what followed it is dropped', async () => {
  const { batches, running, offsets } = batchesOn();
  batches.add(messages(0, 10, 11, 12));
  batches.add(messages(0, 13));
  running[0]!.end(10);
  await waitFor('the batch to end', () => batches.buffered() === 0);
  assert.deepEqual(batches.takeSeeks(), [{ topic: 't', partition: 0, offset: 11 }]);
  assert.equal(running.length, 1, 'message 13 was dropped: it is read again after 11 and 12');
  batches.add(messages(0, 11, 12, 13));
  assert.deepEqual(offsets(1), [11, 12, 13]);
});

test('a batch that resolved nothing is read again from its first message', async () => {
  const { batches, running } = batchesOn();
  batches.add(messages(0, 10, 11));
  running[0]!.end(-1);
  await waitFor('the seek', () => batches.takeSeeks().some(({ offset }) => offset === 10));
});

test("a seek makes the partition's batch in flight stale and drops what was fetched of it until the seek is applied", async () => {
  const { batches, running, offsets } = batchesOn();
  batches.add(messages(0, 5, 6));
  batches.add(messages(0, 7));
  batches.seek({ topic: 't', partition: 0, offset: 5 });
  assert.equal(running[0]!.payload.isStale(), true);
  batches.add(messages(0, 8));
  running[0]!.end(5);
  await waitFor('the stale batch to end', () => running.length === 1 && batches.buffered() === 0);
  assert.deepEqual(
    batches.takeSeeks(),
    [{ topic: 't', partition: 0, offset: 5 }],
    'the stale batch asked no seek of its own',
  );
  batches.add(messages(0, 5, 6, 7, 8));
  await waitFor('the batch read again', () => running.length === 2);
  assert.deepEqual(offsets(1), [5, 6, 7, 8]);
  assert.equal(running[1]!.payload.isStale(), false);
});

test("a batch's pause stops fetching its partition and drops what was fetched of it, until its resume", async () => {
  const { batches, running, fetching, offsets } = batchesOn();
  batches.add(messages(1, 20, 21));
  const resume = running[0]!.payload.pause();
  batches.add(messages(1, 22));
  running[0]!.end(20);
  await waitFor('the batch to end', () => batches.takeSeeks().length === 1);
  batches.add(messages(1, 21));
  assert.equal(running.length, 1, 'nothing of a paused partition is handed on');
  resume();
  resume();
  assert.deepEqual(fetching, ['pause t/1', 'resume t/1'], 'resumed once');
  batches.add(messages(1, 21, 22));
  assert.deepEqual(offsets(1), [21, 22]);
});

test("a revoked partition's batch goes stale, its messages are dropped, and its pause's resume does nothing", async () => {
  const { batches, running, fetching, held } = batchesOn();
  batches.add(messages(2, 30, 31));
  const resume = running[0]!.payload.pause();
  held.delete('t/2');
  batches.changed([{ topic: 't', partition: 2 }]);
  assert.equal(running[0]!.payload.isStale(), true);
  running[0]!.end(-1);
  batches.add(messages(2, 30));
  resume();
  await batches.settled();
  assert.deepEqual(batches.takeSeeks(), [], 'its next owner reads it from the committed offset');
  assert.equal(running.length, 1);
  running[0]!.payload.pause()();
  assert.deepEqual(fetching, ['pause t/2'], 'a partition not held is neither resumed nor paused again');
});

test('a batch holds at most batchSize messages of its partition', () => {
  const { batches, offsets } = batchesOn({ batchSize: 2 });
  batches.add(messages(3, 1, 2, 3));
  assert.deepEqual(offsets(0), [1, 2]);
  assert.equal(batches.buffered(), 1);
});
