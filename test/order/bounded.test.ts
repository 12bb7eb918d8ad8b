// Unit tests of setBounded: at most `max` entries, the oldest going first, a sixteenth of them at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setBounded } from '../../src/order/bounded.js';

const filled = (count: number, max: number): Map<string, number> => {
  const map = new Map<string, number>();
  for (let index = 0; index < count; index += 1) setBounded(map, `k${index}`, index, max);
  return map;
};

test('a map never holds more than max entries', () => {
  for (const max of [1, 5, 16, 100, 1000]) {
    const map = new Map<string, number>();
    for (let index = 0; index < 3 * max + 7; index += 1) {
      setBounded(map, `k${index}`, index, max);
      assert.ok(map.size <= max, `${map.size} entries with max ${max}`);
    }
  }
});

test('past max the oldest sixteenth goes at once, and the newest entries stay in order', () => {
  const map = filled(161, 160);
  assert.equal(map.size, 150);
  assert.deepEqual(
    [...map.values()],
    Array.from({ length: 150 }, (_, index) => index + 11),
  );
});

test('under sixteen entries one entry goes at a time', () => {
  const map = filled(12, 10);
  assert.deepEqual([...map.keys()], ['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10', 'k11']);
});

test('a key set again moves to the end: the entries set before it go first', () => {
  const map = filled(32, 32);
  setBounded(map, 'k0', 100, 32);
  setBounded(map, 'k32', 32, 32);
  assert.equal(map.get('k0'), 100);
  assert.equal(map.has('k1'), false);
  assert.equal(map.size, 30);
});
