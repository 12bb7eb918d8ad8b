// Unit tests of the group commit: one transaction at a time, and batches that arrive meanwhile share the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit } from '../../src/actors/group-commit.js';
import type { OutgoingMessage } from '../../src/contracts/message.js';
import type { ConsumedOffset } from '../../src/kafka/offsets.js';

const message = (value: string): OutgoingMessage => ({ topic: 'out', key: value, value, headers: {} });
const offset = (partition: number, at: string): ConsumedOffset => ({ topic: 'in', partition, offset: at });

function controlledCommit() {
  const calls: { messages: OutgoingMessage[]; consumed: ConsumedOffset[]; finish(error?: Error): void }[] = [];
  const commit = (messages: OutgoingMessage[], consumed: ConsumedOffset[]) =>
    new Promise<void>((resolve, reject) =>
      calls.push({ messages, consumed, finish: (error) => (error ? reject(error) : resolve()) }),
    );
  return { calls, commit };
}

test('batches submitted while a transaction commits are merged into the next one, in submission order', async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], offset(0, '5'));
  const second = group.submit([message('b')], offset(1, '7'));
  const third = group.submit([message('c'), message('d')], offset(2, '9'));
  assert.equal(calls.length, 1, 'only one transaction at a time');
  assert.deepEqual(calls[0]!.consumed, [offset(0, '5')]);

  calls[0]!.finish();
  await first;
  await new Promise(setImmediate);
  assert.equal(calls.length, 2);
  assert.deepEqual(
    calls[1]!.messages.map((entry) => entry.value),
    ['b', 'c', 'd'],
  );
  assert.deepEqual(calls[1]!.consumed, [offset(1, '7'), offset(2, '9')]);
  calls[1]!.finish();
  await Promise.all([second, third]);
});

test('a failed transaction rejects every batch it carried, and the next batch gets a transaction of its own', async () => {
  const { calls, commit } = controlledCommit();
  const group = createGroupCommit(commit);
  const first = group.submit([message('a')], offset(0, '1'));
  const second = group.submit([message('b')], offset(1, '2'));
  const third = group.submit([message('c')], offset(2, '3'));
  calls[0]!.finish();
  await first;
  await new Promise(setImmediate);
  calls[1]!.finish(new Error('broker away'));
  await assert.rejects(second, /broker away/);
  await assert.rejects(third, /broker away/);

  const fourth = group.submit([message('d')], offset(0, '4'));
  assert.equal(calls.length, 3);
  assert.deepEqual(calls[2]!.consumed, [offset(0, '4')]);
  calls[2]!.finish();
  await fourth;
});
