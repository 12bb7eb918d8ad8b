// Unit tests of what a ledger remembers: every order for good, or each order for at least its window and at most
// twice as long, on a clock the test sets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderMemory, rememberedSince } from '../../src/actors/order-memory.js';

const hour = 3_600_000;

test('without a window every order is remembered, whatever its time and however late it is asked', () => {
  const orders = orderMemory<string>(0, 0);
  orders.set('o-1', 'first', 0);
  orders.expire(1000 * hour);
  assert.equal(orders.has('o-1'), true);
  assert.equal(orders.get('o-1'), 'first');
  assert.equal(rememberedSince(0, 1000 * hour), undefined, 'read from the beginning');
});

test('with a window an order is remembered for at least the window after its output and forgotten within twice it', () => {
  const start = 100 * hour + hour / 4;
  const orders = orderMemory<undefined>(hour, start);
  orders.set('early', undefined, 100 * hour); // the first moment of the current generation
  orders.set('late', undefined, 101 * hour - 1); // its last moment
  const asked = (at: number) => {
    orders.expire(at);
    return [orders.has('early'), orders.has('late')];
  };
  assert.deepEqual(asked(101 * hour - 1), [true, true]);
  assert.deepEqual(asked(101 * hour), [true, true], "'early' is an hour old: still remembered");
  assert.deepEqual(asked(102 * hour - 1), [true, true], "'late' is an hour old: still remembered");
  assert.deepEqual(asked(102 * hour), [false, false], 'two hours after the first, both are forgotten at once');
});

test('an output from the last generation is remembered; an older one is not kept, and a read starts at the last', () => {
  const now = 100 * hour + hour / 2;
  const orders = orderMemory<undefined>(hour, now);
  orders.set('last-generation', undefined, 99 * hour);
  orders.set('older', undefined, 99 * hour - 1);
  assert.deepEqual([orders.has('last-generation'), orders.has('older')], [true, false]);
  assert.equal(rememberedSince(hour, now), 99 * hour, 'a restart reads from the last generation on');
  orders.expire(101 * hour);
  assert.equal(orders.has('last-generation'), false, 'forgotten when the generation after its own ends');
});

test('a new output of a remembered order moves it to the young generation, and an older one does not move it back', () => {
  const orders = orderMemory<string>(hour, 100 * hour);
  orders.set('o-1', 'old', 99 * hour);
  orders.set('o-1', 'new', 100 * hour);
  orders.set('o-1', 'read back late', 99 * hour);
  assert.equal(orders.get('o-1'), 'read back late', 'the value is the last one set');
  orders.expire(101 * hour);
  assert.equal(orders.has('o-1'), true, 'young when the generation ended, so kept one more');
  orders.expire(102 * hour);
  assert.equal(orders.has('o-1'), false);
});

test('a clock that jumps past two generations forgets everything at once', () => {
  const orders = orderMemory<undefined>(hour, 100 * hour);
  orders.set('o-1', undefined, 100 * hour);
  orders.expire(105 * hour);
  assert.equal(orders.has('o-1'), false);
  orders.set('o-2', undefined, 105 * hour);
  assert.equal(orders.has('o-2'), true);
});
