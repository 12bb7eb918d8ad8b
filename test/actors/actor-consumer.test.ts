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

test('a stalled consumer whose disconnect never answers is abandoned after the bound, said in a warning, and replaced', async () => {
  const { log, entries } = recordingLogger('info');
  const built: string[] = [];
  const consumer = actorConsumer({
    create: () => {
      const name = `consumer-${built.length + 1}`;
      built.push(name);
      return {
        connect: async () => undefined,
        subscribe: async () => undefined,
        run: async () => undefined,
        // The first one's disconnect waits forever, as librdkafka's has for a stalled consumer.
        disconnect: () => (name === 'consumer-1' ? new Promise<void>(() => undefined) : Promise.resolve()),
      } as unknown as Consumer;
    },
    topics: ['order_created'],
    concurrency: 6,
    eachBatch: async () => undefined,
    onAssign: () => undefined,
    onRevoke: async () => undefined,
    log,
    abandonAfterMs: 50,
  });
  await consumer.start();
  await consumer.replace();
  assert.deepEqual(built, ['consumer-1', 'consumer-2']);
  const warning = entries.find((entry) => entry.message === 'stalled consumer did not leave, abandoned');
  assert.ok(warning, 'the abandonment is logged');
  assert.equal(warning.level, 'warn');
  assert.equal(warning.waitedMs, 50);
  assert.equal(warning.maxPollIntervalMs, 300000);
  assert.ok(entries.some((entry) => entry.message === 'consumer replaced'));

  // A consumer that leaves in time is replaced without that warning.
  await consumer.replace();
  assert.equal(entries.filter((entry) => entry.message === 'stalled consumer did not leave, abandoned').length, 1);
});
