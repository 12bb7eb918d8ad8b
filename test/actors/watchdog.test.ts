// Unit tests of the stall watchdog on mocked timers: its pending-work arithmetic on committed offsets and
// readable ends, and when waiting work without progress counts as a stall.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createWatchdog, furthest, hasPendingWork, type WatchdogOptions } from '../../src/actors/watchdog.js';
import { advanceMockedTime } from '../helpers.js';

const end = (partition: number, high: number, low = 0) => ({ partition, high: String(high), low: String(low) });
const at = (partition: number, offset: number) => ({ partition, offset: String(offset) });

test('a held partition is at rest up to one offset past its committed one: a commit marker takes one', () => {
  const held = new Set([0, 1]);
  assert.equal(hasPendingWork(held, [at(0, 8), at(1, 5)], [end(0, 9), end(1, 5)]), false);
  assert.equal(hasPendingWork(held, [at(0, 8), at(1, 5)], [end(0, 10), end(1, 5)]), true);
});

test('a partition with nothing committed counts its work from its first readable offset', () => {
  assert.equal(hasPendingWork(new Set([2]), [at(2, -1001)], [end(2, 41, 40)]), false);
  assert.equal(hasPendingWork(new Set([2]), [], [end(2, 42, 40)]), true);
});

test("work on a partition another instance holds is not this one's", () => {
  assert.equal(hasPendingWork(new Set([0]), [at(0, 3), at(1, 0)], [end(0, 3), end(1, 50)]), false);
});

const position = (partition: number, offset: number, readTo: number) => ({
  partition,
  offset: String(offset),
  readTo: String(readTo),
});

test('where the consumer stands is its position where it only skipped messages past its committed offset', () => {
  const committed = [at(0, 3), at(1, 9), at(2, -1001), at(3, 3)];
  // 0: read to 3, then past an aborted transaction to 7. 1: nothing read yet. 2: nothing committed, nothing read,
  // an aborted transaction skipped. 3: read to 6 and not committed: what it read is still work.
  const positions = [position(0, 7, 3), position(1, -1001, -1), position(2, 4, -1), position(3, 7, 6)];
  assert.deepEqual(furthest(committed, positions), [at(0, 7), at(1, 9), at(2, 4), at(3, 3)]);
  const held = new Set([0, 3]);
  assert.equal(hasPendingWork(held, furthest(committed, positions), [end(0, 7), end(3, 3)]), false);
  assert.equal(hasPendingWork(held, furthest(committed, positions), [end(0, 7), end(3, 7)]), true, 'partition 3');
  assert.equal(hasPendingWork(held, committed, [end(0, 7), end(3, 3)]), true, 'by the committed offsets alone');
});

/** A watchdog (stall timeout 1000 ms, a check every 250 ms) on mocked timers, with `pending` messages on partition 0. */
function watchdogOn(t: TestContext, overrides: Partial<WatchdogOptions> = {}) {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  const stalls: number[] = [];
  const state = { pending: 0, watching: true };
  const watchdog = createWatchdog({
    stallTimeoutMs: 1000,
    topics: ['t.order_created'],
    holding: () => new Set([0]),
    committed: async () => [at(0, 10)],
    readableEnds: async () => [end(0, 10 + state.pending)],
    watching: () => state.watching,
    onStall: async (idleMs) => {
      stalls.push(idleMs);
    },
    ...overrides,
  });
  watchdog.start();
  t.after(() => watchdog.stop());
  const advance = (ms: number): Promise<void> => advanceMockedTime(t, ms, 250);
  return { watchdog, stalls, state, advance };
}

test('work waiting with no progress for longer than the stall timeout is a stall, reported once', async (t) => {
  const { stalls, state, advance } = watchdogOn(t);
  state.pending = 3;
  await advance(1250);
  assert.deepEqual(stalls, [], 'not yet: the work has waited 1000 ms');
  await advance(250);
  assert.deepEqual(stalls, [1250]);
  await advance(750);
  assert.deepEqual(stalls, [1250], 'the wait starts again after a stall');
});

test('progress keeps a busy actor from counting as stalled', async (t) => {
  const { watchdog, stalls, state, advance } = watchdogOn(t);
  state.pending = 3;
  for (let round = 0; round < 8; round += 1) {
    await advance(750);
    watchdog.progressed();
  }
  assert.deepEqual(stalls, []);
});

test('a burst after a long quiet spell is not a stall: the wait starts when the work is first seen', async (t) => {
  const { stalls, state, advance } = watchdogOn(t);
  await advance(5000);
  state.pending = 3;
  await advance(1000);
  assert.deepEqual(stalls, []);
});

test('the watchdog does not count while the actor waits on purpose (a retry due, a batch in flight)', async (t) => {
  const { stalls, state, advance } = watchdogOn(t);
  state.pending = 3;
  state.watching = false;
  await advance(3000);
  assert.deepEqual(stalls, []);
  state.watching = true;
  await advance(1500);
  assert.deepEqual(stalls, [1250], 'the wait counts from when watching began');
});

test('a partition ending in an aborted transaction the consumer read past is at rest, not stalled', async (t) => {
  // Committed at 10; a transaction of 3 messages was aborted after it: the readable end is 14 (the 3 and their
  // abort marker), and the consumer's position is past them.
  const { stalls, state, advance } = watchdogOn(t, { positions: () => [position(0, 14, 10)] });
  state.pending = 4;
  await advance(3000);
  assert.deepEqual(stalls, []);
});

test('messages the consumer read and the actor never committed are a stall, wherever its position', async (t) => {
  const { stalls, state, advance } = watchdogOn(t, { positions: () => [position(0, 14, 14)] });
  state.pending = 4;
  await advance(1500);
  assert.deepEqual(stalls, [1250]);
});

test('offsets the watchdog cannot read (the broker is away) are not a stall', async (t) => {
  const { stalls, state, advance } = watchdogOn(t, { readableEnds: () => Promise.reject(new Error('broker away')) });
  state.pending = 3;
  await advance(3000);
  assert.deepEqual(stalls, []);
});

test('offsets it cannot read are told once, not at every check, and so is reading them again', async (t) => {
  let away = true;
  const told: string[] = [];
  const { stalls, state, advance } = watchdogOn(t, {
    readableEnds: async () => {
      if (away) throw new Error('broker away');
      return [end(0, 10 + state.pending)];
    },
    onUnread: (error) => told.push(`unread: ${(error as Error).message}`),
    onReadAgain: (unreadMs) => told.push(`read again after ${unreadMs} ms`),
  });
  await advance(1000);
  assert.deepEqual(told, ['unread: broker away'], 'four checks failed, one line');
  away = false;
  await advance(250);
  assert.deepEqual(told, ['unread: broker away', 'read again after 1000 ms']);
  await advance(500);
  assert.equal(told.length, 2, 'nothing more while the offsets are read');
  assert.deepEqual(stalls, []);
});

test('an actor busy without progress for longer than the stall timeout is told so once per stall timeout, never replaced', async (t) => {
  const busy: number[] = [];
  const { watchdog, stalls, state, advance } = watchdogOn(t, { onBusy: (busyMs) => busy.push(busyMs) });
  state.pending = 3;
  state.watching = false; // a batch in flight
  await advance(1000);
  assert.deepEqual(busy, [], 'not yet: no progress for 1000 ms');
  await advance(250);
  assert.deepEqual(busy, [1250]);
  await advance(750);
  assert.deepEqual(busy, [1250], 'told at most once per stall timeout');
  await advance(250);
  assert.deepEqual(busy, [1250, 2250]);
  watchdog.progressed();
  await advance(1000);
  assert.deepEqual(busy, [1250, 2250], 'progress starts the time again');
  assert.deepEqual(stalls, [], 'a busy actor is not a stalled consumer');
});

test('a check whose offsets call never answers ends at the bound, and a later check still finds the stall', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
  let answers = false;
  const stalls: number[] = [];
  const watchdog = createWatchdog({
    stallTimeoutMs: 1000,
    callTimeoutMs: 100,
    topics: ['t.order_created'],
    holding: () => new Set([0]),
    // As librdkafka's committed() was seen after a broker loss: no answer, not even its own timeout.
    committed: () => (answers ? Promise.resolve([at(0, 10)]) : new Promise(() => undefined)),
    readableEnds: async () => [end(0, 13)],
    watching: () => true,
    onStall: async (idleMs) => {
      stalls.push(idleMs);
    },
  });
  watchdog.start();
  t.after(() => watchdog.stop());
  const advance = (ms: number): Promise<void> => advanceMockedTime(t, ms, 50);
  await advance(400); // the first check (at 250 ms) waits, and gives up at 350 ms
  answers = true;
  await advance(2000);
  assert.equal(stalls.length, 1, 'the stall is found once the calls answer again');
});
