// Unit tests of src/kafka/topic-ends.ts with fake admin clients: an end-offset request that never answers is
// given up within the bound, and the next read goes through a new client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Admin } from '../../src/kafka/client.js';
import { topicEnds } from '../../src/kafka/topic-ends.js';
import { unansweredCalls } from '../../src/unanswered.js';
import { recordingLogger } from '../helpers.js';

const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:1' });

/** Fake admin clients: the n-th (1 the first) answers with `ends(n)`, or never when that is undefined. */
function fakeAdmins(ends: (n: number) => { partition: number; high: string }[] | undefined) {
  const made: { n: number; disconnected: boolean }[] = [];
  const newAdmin = (): Admin => {
    const self = { n: made.length + 1, disconnected: false };
    made.push(self);
    return {
      connect: async () => undefined,
      disconnect: async () => {
        self.disconnected = true;
      },
      fetchTopicOffsets: (_topic: string) => {
        const answer = ends(self.n);
        return answer === undefined
          ? new Promise(() => undefined)
          : Promise.resolve(answer.map(({ partition, high }) => ({ partition, high, low: '0', offset: high })));
      },
    } as unknown as Admin;
  };
  return { made, newAdmin };
}

test('an end-offset request that never answers is given up within the bound, and the next read uses a new client', async () => {
  const { log } = recordingLogger('warn');
  const { made, newAdmin } = fakeAdmins((n) => (n === 1 ? undefined : [{ partition: 0, high: '7' }]));
  const ends = await topicEnds(config, log, ['t'], newAdmin);
  const unansweredBefore = unansweredCalls();
  const started = Date.now();
  await assert.rejects(ends.read(50), (error: Error & { code?: string; retriable?: boolean }) => {
    assert.equal(error.code, 'KAFKA_UNAVAILABLE');
    assert.equal(error.retriable, true);
    assert.match(error.message, /end offsets were not read in 50 ms/);
    return true;
  });
  assert.ok(Date.now() - started < 1000, 'given up at the bound, not at some client timeout');
  assert.equal(unansweredCalls(), unansweredBefore + 1, 'the request given up on is counted: it keeps its thread');
  assert.deepEqual(await ends.read(1000), [['t/0', 7]]);
  assert.equal(made.length, 2, 'a new client answered');
  assert.equal(made[0]!.disconnected, true, 'the hung client was let go');
  await ends.close();
  assert.equal(made[1]!.disconnected, true);
});

test('a client that answers is kept for every read', async () => {
  const { log } = recordingLogger('warn');
  const { made, newAdmin } = fakeAdmins(() => [
    { partition: 0, high: '3' },
    { partition: 1, high: '0' },
  ]);
  const ends = await topicEnds(config, log, ['a', 'b'], newAdmin);
  for (let read = 0; read < 3; read += 1) {
    assert.deepEqual(await ends.read(1000), [
      ['a/0', 3],
      ['a/1', 0],
      ['b/0', 3],
      ['b/1', 0],
    ]);
  }
  assert.equal(made.length, 1);
  await ends.close();
});

test('where committed messages stamped at a time begin: a partition whose answer is its end or past it has none', async () => {
  const { log } = recordingLogger('warn');
  const asked: [string, number][] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: async () =>
      ['9', '9', '10'].map((high, partition) => ({ partition, high, low: '0', offset: high })),
    // As the client answers: the first offset stamped at `since` or later, else the end of all messages.
    fetchTopicOffsetsByTimestamp: async (topic: string, since: number) => {
      asked.push([topic, since]);
      return ['5', '9', '12'].map((offset, partition) => ({ partition, offset }));
    },
  } as unknown as Admin;
  const ends = await topicEnds(config, log, ['t'], () => admin);
  assert.deepEqual([...(await ends.firstSince('t', 1234, 1000))], [[0, 5]]);
  assert.deepEqual(asked, [['t', 1234]]);
  await ends.close();
});
