// Unit tests of src/actors/actor-consumer.ts with a fake client consumer: the partitions an actor holds follow
// the rebalance callbacks, and its log lines say both the change and what it holds after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorConsumer } from '../../src/actors/actor-consumer.js';
import type { GroupMember } from '../../src/kafka/group-consumer.js';
import type { GroupChanges } from '../../src/kafka/group-rebalance.js';
import { recordingLogger } from '../helpers.js';

/**
 * An actor consumer over fake client consumers; `callbacks` are the rebalance callbacks it gave the last one.
 * `disconnect(n)` is the n-th consumer's disconnect (1 the first); `abandonAfterMs` the bound on waiting for it.
 */
function consumerWithFakeClient(options: { disconnect?(n: number): Promise<void>; abandonAfterMs?: number } = {}) {
  const { log, entries } = recordingLogger('info');
  let callbacks: GroupChanges | undefined;
  let built = 0;
  const consumer = actorConsumer({
    join: async (given) => {
      callbacks = given;
      const n = (built += 1);
      return { disconnect: () => options.disconnect?.(n) ?? Promise.resolve() } as unknown as GroupMember;
    },
    topics: ['order_created'],
    onAssign: () => undefined,
    onRevoke: async () => undefined,
    log,
    ...(options.abandonAfterMs === undefined ? {} : { abandonAfterMs: options.abandonAfterMs }),
  });
  const partitions = (...numbers: number[]) => numbers.map((partition) => ({ topic: 'order_created', partition }));
  return {
    consumer,
    entries,
    built: () => built,
    assign: (...numbers: number[]) => callbacks?.onAssign(partitions(...numbers)),
    revoke: (...numbers: number[]) => callbacks?.onRevoke(partitions(...numbers)),
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
  // The first one's disconnect waits forever, as librdkafka's has for a stalled consumer.
  const { consumer, entries, built } = consumerWithFakeClient({
    disconnect: (n) => (n === 1 ? new Promise<void>(() => undefined) : Promise.resolve()),
    abandonAfterMs: 50,
  });
  const abandoned = () => entries.filter((entry) => entry.message === 'stalled consumer did not leave, abandoned');
  await consumer.start();
  await consumer.replace();
  assert.equal(built(), 2);
  assert.equal(abandoned().length, 1, 'the abandonment is logged');
  const [warning] = abandoned();
  assert.equal(warning!.level, 'warn');
  assert.equal(warning!.waitedMs, 50);
  assert.equal(warning!.maxPollIntervalMs, 300000);
  assert.ok(entries.some((entry) => entry.message === 'consumer replaced'));

  // A consumer that leaves in time is replaced without that warning.
  await consumer.replace();
  assert.equal(built(), 3);
  assert.equal(abandoned().length, 1);
});
