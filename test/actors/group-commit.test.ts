// Unit tests of the group commit: one transaction at a time, batches that arrive meanwhile share the next, and a
// partition's batches stay contiguous: a failure rolls back everything behind it, and a batch out of turn is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit, OutOfTurn, RolledBack, type HandledRange } from '../../src/actors/group-commit.js';
import type { OutgoingMessage } from '../../src/contracts/message.js';
import type { ConsumedOffset } from '../../src/kafka/offsets.js';

const message = (value: string): OutgoingMessage => ({ topic: 'out', key: value, value, headers: {} });
const range = (partition: number, from: number, to: number): HandledRange => ({
  topic: 'in',
  partition,
  firstOffset: String(from),
  offset: String(to),
});
const offset = (partition: number, at: number): ConsumedOffset => ({ topic: 'in', partition, offset: String(at) });

function controlledCommit() {
  const calls: { messages: OutgoingMessage[]; consumed: ConsumedOffset[]; finish(error?: Error): void }[] = [];
  const commit = (messages: OutgoingMessage[], consumed: ConsumedOffset[]) =>
    new Promise<void>((resolve, reject) =>
      calls.push({ messages, consumed, finish: (error) => (error ? reject(error) : resolve()) }),
    );
  return { calls, commit };
}

const settle = () => new Promise(setImmediate);

test('batches submitted while a transaction commits are merged into the next one, in submission order', async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], range(0, 3, 5));
  const second = group.submit([message('b')], range(1, 7, 7));
  const third = group.submit([message('c'), message('d')], range(2, 8, 9));
  assert.equal(calls.length, 1, 'only one transaction at a time');
  assert.deepEqual(calls[0]!.consumed, [offset(0, 5)]);

  calls[0]!.finish();
  await first;
  await settle();
  assert.equal(calls.length, 2);
  assert.deepEqual(
    calls[1]!.messages.map((entry) => entry.value),
    ['b', 'c', 'd'],
  );
  assert.deepEqual(calls[1]!.consumed, [offset(1, 7), offset(2, 9)]);
  calls[1]!.finish();
  await Promise.all([second, third]);
});

test("a partition's next batch is taken while its last one commits, and both commit in order", async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], range(0, 0, 4));
  const second = group.submit([message('b')], range(0, 5, 6));
  calls[0]!.finish();
  await first;
  await settle();
  assert.deepEqual(calls[1]!.consumed, [offset(0, 6)]);
  calls[1]!.finish();
  await second;
});

test('a failed transaction rolls back every batch it carried and every batch waiting behind it', async () => {
  const { calls, commit } = controlledCommit();
  let failures = 0;
  const group = createGroupCommit(commit, { onFailure: () => (failures += 1) });
  const first = group.submit([message('a')], range(0, 0, 1));
  const second = group.submit([message('b')], range(1, 0, 2));
  calls[0]!.finish(new Error('broker away'));
  const failed = await first.then(
    () => assert.fail('a failed transaction resolved'),
    (error: unknown) => error,
  );
  assert.ok(failed instanceof RolledBack);
  assert.match(String(failed.cause), /broker away/);
  await assert.rejects(second, RolledBack, 'the batch waiting behind the failed one could skip messages: rolled back');
  assert.deepEqual(
    [...failed.from],
    [
      ['in/0', '0'],
      ['in/1', '0'],
    ],
    'each partition from its first batch rolled back',
  );
  assert.equal(failures, 1, 'told once');
  assert.equal(calls.length, 1, 'nothing behind the failure was committed');
});

test('after a failure, a batch that does not start at the rolled-back offset is refused until the partition is read again', async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], range(0, 10, 12));
  const second = group.submit([message('b')], range(0, 13, 14));
  calls[0]!.finish(new Error('broker away'));
  await assert.rejects(first, RolledBack);
  await assert.rejects(second, RolledBack);

  await assert.rejects(group.submit([message('c')], range(0, 15, 16)), (error: unknown) => {
    assert.ok(error instanceof OutOfTurn);
    assert.equal(error.from, '10');
    return true;
  });
  assert.equal(calls.length, 1, 'a refused batch opens no transaction');
  const again = group.submit([message('a')], range(0, 10, 16));
  assert.deepEqual(calls[1]!.consumed, [offset(0, 16)]);
  calls[1]!.finish();
  await again;
});

test("a batch may start past the partition's last one (a commit marker takes an offset), never before it", async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], range(2, 0, 4));
  calls[0]!.finish();
  await first;
  await assert.rejects(
    group.submit([], range(2, 3, 8)),
    (error: unknown) => error instanceof OutOfTurn && error.from === '5',
  );
  const next = group.submit([message('b')], range(2, 6, 8));
  calls[1]!.finish();
  await next;
});

test('a partition assigned again starts anywhere, even after a failure', async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const failed = group.submit([message('a')], range(2, 0, 4));
  calls[0]!.finish(new Error('broker away'));
  await assert.rejects(failed, RolledBack);
  group.forget([2]);
  const after = group.submit([message('b')], range(2, 40, 41));
  assert.deepEqual(calls[1]!.consumed, [offset(2, 41)]);
  calls[1]!.finish();
  await after;
});

test('with a commit interval, the next transaction starts that long after the last one started and carries every batch handled meanwhile', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1000 });
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit, { intervalMs: 50 });
  const first = group.submit([message('a')], range(0, 0, 1));
  assert.equal(calls.length, 1, 'the first transaction starts at once');
  t.mock.timers.tick(10);
  calls[0]!.finish();
  await first;
  const second = group.submit([message('b')], range(1, 0, 0));
  await settle();
  t.mock.timers.tick(20);
  const third = group.submit([message('c')], range(2, 4, 4));
  await settle();
  t.mock.timers.tick(19);
  await settle();
  assert.equal(calls.length, 1, '49 ms after the last start, nothing new has started');
  t.mock.timers.tick(1);
  await settle();
  assert.equal(calls.length, 2, 'the next starts 50 ms after the last one started');
  assert.deepEqual(
    calls[1]!.messages.map((entry) => entry.value),
    ['b', 'c'],
  );
  assert.deepEqual(calls[1]!.consumed, [offset(1, 0), offset(2, 4)]);
  calls[1]!.finish();
  await Promise.all([second, third]);
});
