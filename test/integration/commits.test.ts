// Manual commits: an actor stopped after processing and started again neither reprocesses nor skips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop, type Shop } from './shop.js';

async function outcomes(shop: Shop): Promise<number> {
  return (await shop.count('payment_completed')) + (await shop.count('payment_failed'));
}

test('a payment actor stopped after processing and restarted neither reprocesses nor skips', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  const first = await shop.startActor(paymentActor);
  for (let index = 0; index < 12; index += 1) {
    assert.equal((await postOrder(url, { OrderId: `c-${index}`, Amount: 100 + index * 20 })).status, 201);
  }
  await waitFor('12 payment outcomes', async () => (await outcomes(shop)) === 12);
  await shop.drained(paymentActor);
  await first.stop();

  for (let index = 12; index < 18; index += 1) {
    assert.equal((await postOrder(url, { OrderId: `c-${index}`, Amount: 100 }, {})).status, 201);
  }
  assert.equal(await outcomes(shop), 12, 'nothing is processed while the actor is down');
  await shop.startActor(paymentActor);
  await shop.drained(paymentActor);

  // Outputs are acknowledged before offsets are committed, so at this point every output is on the topics.
  assert.equal(await outcomes(shop), 18, 'each of the 18 orders has exactly one payment outcome');
  await waitFor(
    'the recorder to see all outcomes',
    () =>
      shop.recorded.filter((entry) => entry.topic === 'payment_completed' || entry.topic === 'payment_failed')
        .length === 18,
  );
  const paid = shop.recorded.filter((entry) => entry.topic === 'payment_completed' || entry.topic === 'payment_failed');
  assert.deepEqual(new Set(paid.map((entry) => entry.key)).size, 18, 'no order paid twice, none skipped');
});
