// Unit tests of src/kafka/follower-skips.ts: where a skipped partition resumes, with a fake lookup by time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position } from '../../src/kafka/follower-reader.js';
import { followerSkips, type SkipsDeps } from '../../src/kafka/follower-skips.js';

/** Skips over a follower standing at `reached`; `firstSince` answers when the test resolves `lookups[i]`. */
function skipsFor(reached: Record<string, number>) {
  const started: Position[][] = [];
  const lookups: { topic: string; since: number; answer(first: Map<number, number> | Error): void }[] = [];
  const notFound: unknown[] = [];
  let closing = false;
  const deps: SkipsDeps = {
    reached: (key) => reached[key],
    start: (positions) => started.push(positions),
    firstSince: (topic, since) =>
      new Promise((resolve, reject) =>
        lookups.push({ topic, since, answer: (first) => (first instanceof Error ? reject(first) : resolve(first)) }),
      ),
    closing: () => closing,
    notFound: (error) => notFound.push(error),
  };
  return { skips: followerSkips(deps), started, lookups, notFound, close: () => (closing = true) };
}

/** Lets a settled lookup's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a partition resumes where the follower stood when it was skipped, when nothing was written since', () => {
  const { skips, started, lookups } = skipsFor({ 'out/0': 12 });
  assert.deepEqual(skips.skip([{ topic: 'out', partition: 0 }]), [{ topic: 'out', partition: 0 }]);
  assert.equal(skips.skipped('out/0'), true);
  skips.resume([{ topic: 'out', partition: 0 }]);
  assert.deepEqual(started, [[{ topic: 'out', partition: 0, offset: 12 }]]);
  assert.equal(lookups.length, 0, 'nothing looked up');
  assert.equal(skips.unread('out/0'), false);
});

test('a partition written since resumes at the first message stamped then, a clock step earlier, never before its skip point', async () => {
  const { skips, started, lookups } = skipsFor({ 'out/0': 12, 'out/1': 40 });
  skips.skip([
    { topic: 'out', partition: 0 },
    { topic: 'out', partition: 1 },
  ]);
  skips.skipSince({ topic: 'out', partition: 0, since: 50_000 });
  skips.skipSince({ topic: 'out', partition: 0, since: 20_000 });
  skips.skipSince({ topic: 'out', partition: 1, since: 30_000 });
  skips.resume([
    { topic: 'out', partition: 0 },
    { topic: 'out', partition: 1 },
  ]);
  assert.deepEqual(started.flat(), [], 'not read before its resume point is known');
  assert.equal(skips.skipped('out/0'), false, 'waited for while it resumes');
  assert.equal(skips.unread('out/0'), true, 'not the reader’s while it resumes');
  assert.deepEqual(
    lookups.map(({ topic, since }) => [topic, since]),
    [['out', 29_000]],
    'one lookup for the topic: its earliest time, a clock step back; a time is never moved back',
  );
  lookups[0]!.answer(
    new Map([
      [0, 300],
      [1, 25],
    ]),
  );
  await settle();
  assert.deepEqual(started.flat(), [
    { topic: 'out', partition: 0, offset: 300 },
    { topic: 'out', partition: 1, offset: 40 },
  ]);
  assert.equal(skips.unread('out/0'), false);
});

test('a resume point not found resumes where the partition was skipped, and says so', async () => {
  const { skips, started, lookups, notFound } = skipsFor({ 'out/0': 12 });
  skips.skip([{ topic: 'out', partition: 0 }]);
  skips.skipSince({ topic: 'out', partition: 0, since: 5_000 });
  skips.resume([{ topic: 'out', partition: 0 }]);
  lookups[0]!.answer(new Error('not read in 10000 ms'));
  await settle();
  assert.deepEqual(started.flat(), [{ topic: 'out', partition: 0, offset: 12 }]);
  assert.equal(notFound.length, 1);
});

test('a partition skipped again while it resumes stays skipped, keeps its time, and was never the reader’s', async () => {
  const { skips, started, lookups } = skipsFor({ 'out/0': 12 });
  skips.skip([{ topic: 'out', partition: 0 }]);
  skips.skipSince({ topic: 'out', partition: 0, since: 5_000 });
  skips.resume([{ topic: 'out', partition: 0 }]);
  assert.deepEqual(skips.skip([{ topic: 'out', partition: 0 }]), [], 'nothing for the reader to stop');
  lookups[0]!.answer(new Map([[0, 30]]));
  await settle();
  assert.deepEqual(started.flat(), [], 'the late answer is dropped');
  assert.equal(skips.skipped('out/0'), true);
  skips.resume([{ topic: 'out', partition: 0 }]);
  assert.equal(lookups[1]?.since, 4_000, 'its time was kept');
});

test('a time for a partition not skipped counts for nothing, and a closed follower starts nothing', async () => {
  const { skips, started, lookups, notFound, close } = skipsFor({ 'out/0': 12 });
  skips.skipSince({ topic: 'out', partition: 0, since: 5_000 });
  skips.skip([{ topic: 'out', partition: 0 }]);
  skips.resume([{ topic: 'out', partition: 0 }]);
  assert.deepEqual(started, [[{ topic: 'out', partition: 0, offset: 12 }]], 'resumed where it was skipped');
  skips.skip([{ topic: 'out', partition: 0 }]);
  skips.skipSince({ topic: 'out', partition: 0, since: 6_000 });
  skips.resume([{ topic: 'out', partition: 0 }]);
  close();
  lookups[0]!.answer(new Error('client closed'));
  await settle();
  assert.equal(started.length, 1);
  assert.deepEqual(notFound, [], 'nothing said once closed');
});
