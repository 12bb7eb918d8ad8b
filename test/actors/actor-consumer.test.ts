// Unit tests of src/actors/actor-consumer.ts with a fake client consumer: the partitions an actor holds follow
// the rebalance callbacks, and its log lines say both the change and what it holds after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorConsumer } from '../../src/actors/actor-consumer.js';
import type { Consumer, ConsumerOptions } from '../../src/kafka/client.js';
import { recordingLogger } from '../helpers.js';

type Callbacks = Pick<ConsumerOptions, 'onAssign' | 'onRevoke'>;

/** An actor consumer over a fake client consumer; `callbacks` are the rebalance callbacks it gave the client. */
function consumerWithFakeClient() {
  const { log, entries } = recordingLogger('info');
  let callbacks: Callbacks = {};
  const fake = {
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => undefined,
    disconnect: async () => undefined,
  } as unknown as Consumer;
  const consumer = actorConsumer({
    create: (given) => {
      callbacks = given;
      return fake;
    },
    topics: ['order_created'],
    concurrency: 6,
    eachBatch: async () => undefined,
    onAssign: () => undefined,
    onRevoke: async () => undefined,
    log,
  });
  const partitions = (...numbers: number[]) => numbers.map((partition) => ({ topic: 'order_created', partition }));
  return {
    consumer,
    entries,
    assign: (...numbers: number[]) => callbacks.onAssign?.(partitions(...numbers)),
    revoke: (...numbers: number[]) => callbacks.onRevoke?.(partitions(...numbers)),
  };
}

test('after a rebalance that adds no partition the actor logs the partitions it still holds, not an empty list', async () => {
  const { consumer, entries, assign, revoke } = consumerWithFakeClient();
  await consumer.start();
  assign(5, 0, 3, 1, 2, 4);
  await revoke(0, 1, 2, 3);
  assign();
  assert.deepEqual([...consumer.holding()].sort(), [4, 5]);
  assert.deepEqual(
    entries.map(({ message, assigned, revoked, holding }) => ({ message, assigned, revoked, holding })),
    [
      { message: 'partitions assigned', assigned: [0, 1, 2, 3, 4, 5], revoked: undefined, holding: [0, 1, 2, 3, 4, 5] },
      { message: 'partitions revoked', assigned: undefined, revoked: [0, 1, 2, 3], holding: [4, 5] },
      { message: 'partitions assigned', assigned: [], revoked: undefined, holding: [4, 5] },
    ],
  );
});

test('a replaced consumer starts holding nothing until its own assignment', async () => {
  const { consumer, assign } = consumerWithFakeClient();
  await consumer.start();
  assign(0, 1);
  await consumer.replace();
  assert.deepEqual([...consumer.holding()], []);
  assign(1);
  assert.deepEqual([...consumer.holding()], [1]);
});
