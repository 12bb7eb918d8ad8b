// Retriable failures are retried with backoff while the partition waits; after the last attempt the
// message is dead-lettered as PROCESSING_FAILED with the number of attempts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { headerText } from '../../src/contracts/message.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

/** A seeded source of chance in [0, 1) (mulberry32): the same seed draws the same numbers in every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** How many of the draws before the `successes`-th draw at or above `rate` fall below it (fail). */
function failuresBefore(random: () => number, rate: number, successes: number): number {
  let failures = 0;
  for (let succeeded = 0; succeeded < successes;) {
    if (random() < rate) failures += 1;
    else succeeded += 1;
  }
  return failures;
}

test('payments that fail half the time at the gateway are retried until each order has exactly one outcome', async (t) => {
  const seed = 9;
  const orderIds = Array.from({ length: 30 }, (_, index) => `flaky-${index}`);
  // Each draw fails an attempt or pays an order, whichever order draws it: the seeded draws hold this many failures
  // before the last order is paid, so with more attempts than that no order can run out of them, in any order.
  const failures = failuresBefore(seededRandom(seed), 0.5, orderIds.length);
  const shop = await createShop(t, {
    PAYMENT_FAILURE_RATE: '0.5',
    RETRY_ATTEMPTS: String(failures + 1),
    RETRY_BASE_MS: '10',
    RETRY_MAX_MS: '50',
  });
  const { url } = await shop.startOrderService();
  await shop.startActor(paymentActor, { random: seededRandom(seed) });
  for (const orderId of orderIds) assert.equal((await postOrder(url, { OrderId: orderId, Amount: 10 })).status, 201);

  await waitFor('30 payment outcomes', () => shop.on('payment_completed').length >= 30, 30000);
  await shop.drained(paymentActor);
  await shop.count('payment_completed');
  assert.deepEqual(
    shop
      .on('payment_completed')
      .map((entry) => entry.key)
      .sort(),
    [...orderIds].sort(),
  );
  assert.equal(shop.on('dead_letter').length, 0);
});

test('a payment whose gateway always fails is dead-lettered as PROCESSING_FAILED after every attempt', async (t) => {
  const shop = await createShop(t, {
    PAYMENT_FAILURE_RATE: '1',
    RETRY_ATTEMPTS: '3',
    RETRY_BASE_MS: '20',
    RETRY_MAX_MS: '40',
  });
  const { url } = await shop.startOrderService();
  const actor = await shop.startActor(paymentActor);
  assert.equal((await postOrder(url, { OrderId: 'always-fails', Amount: 10 })).status, 201);

  await waitFor('the dead letter', () => shop.on('dead_letter').length === 1);
  await shop.drained(paymentActor);
  const letter = shop.on('dead_letter')[0]!;
  assert.equal(letter.key, 'always-fails');
  assert.equal(headerText(letter.message, 'dlq-error-code'), 'PROCESSING_FAILED');
  assert.equal(headerText(letter.message, 'dlq-attempts'), '3');
  assert.match(headerText(letter.message, 'dlq-error-message') ?? '', /PAYMENT_GATEWAY_UNAVAILABLE/);
  assert.deepEqual(letter.event?.data, { orderId: 'always-fails', amount: 10 }, 'the original event, untouched');
  assert.equal(shop.on('payment_completed').length + shop.on('payment_failed').length, 0);
  await waitFor('the actor to stay ready in its group', () => actor.ready());
});
