// Unit test of src/actors/actor-watchdog.ts on mocked timers, with fake parts: the readable ends go through an admin
// client that is replaced when a read goes unanswered, so a client that hung after a broker left does not leave the
// actor unwatched for good, and the log says when the watchdog could not read the offsets and when it could again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActorConsumer } from '../../src/actors/actor-consumer.js';
import { actorWatchdog } from '../../src/actors/actor-watchdog.js';
import type { Admin } from '../../src/kafka/client.js';
import type { GroupMember } from '../../src/kafka/group-consumer.js';
import { renewingAdmin } from '../../src/kafka/renewing-admin.js';
import { advanceMockedTime, recordingLogger } from '../helpers.js';

test("a stall is still found after the first admin client's read of the ends never answered", async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
  const clients: { disconnected: boolean }[] = [];
  // The first client never answers (as after a broker left); the next ones answer: 3 messages wait on partition 0.
  const newAdmin = (): Admin => {
    const client = { disconnected: false };
    clients.push(client);
    const answers = clients.length > 1;
    return {
      connect: async () => undefined,
      disconnect: async () => {
        client.disconnected = true;
      },
      fetchTopicOffsets: () =>
        answers
          ? Promise.resolve([{ partition: 0, high: '13', low: '0', offset: '13' }])
          : new Promise(() => undefined),
    } as unknown as Admin;
  };
  const admins = renewingAdmin(newAdmin);
  await admins.connect();
  let replaced = 0;
  const consumer = {
    holding: () => new Set([0]),
    current: () =>
      ({ committed: async () => [{ partition: 0, offset: '10' }], positions: () => [] }) as unknown as GroupMember,
    replacing: () => false,
    replace: async () => {
      replaced += 1;
    },
  } as unknown as ActorConsumer;
  const { log, entries } = recordingLogger('info');
  const watchdog = actorWatchdog({
    ...{ actor: 'payment', groupId: 'payment', stallTimeoutMs: 20000, inputTopics: ['t.order_created'] },
    ...{ consumer, admins, log },
    runner: { idle: () => true, inFlight: () => 0 },
    lifecycle: { running: () => true },
    metrics: { consumerReplaced: () => undefined },
  });
  watchdog.start();
  t.after(() => watchdog.stop());
  await advanceMockedTime(t, 60000, 250, () => replaced > 0);
  assert.equal(replaced, 1, 'the stalled consumer was replaced');
  assert.ok(clients.length >= 2, 'a new admin client read the ends');
  assert.equal(clients[0]!.disconnected, true, 'the hung client was let go');
  const watchdogLines = entries.filter(({ message }) => /watchdog|stalled/.test(String(message)));
  assert.deepEqual(
    watchdogLines.map(({ message }) => message),
    ['stall watchdog cannot read offsets', 'stall watchdog reads offsets again', 'consumer stalled, replacing it'],
    'the operator is told the watchdog was blind, once, and when it saw again',
  );
  const { code, message } = watchdogLines[0]!.error as { code: string; message: string };
  assert.equal(code, 'KAFKA_UNAVAILABLE');
  assert.match(message, /the readable ends of t\.order_created were not read in 5000 ms/);
});
