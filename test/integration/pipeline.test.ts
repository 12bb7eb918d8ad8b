// The two flows of the original demo, end to end on the real broker: paid orders ship, unpaid ones notify.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop, type Shop } from './shop.js';

async function runningShop(t: Parameters<typeof createShop>[0]): Promise<{ shop: Shop; url: string }> {
  const shop = await createShop(t);
  await Promise.all([paymentActor, shippingActor, notificationActor].map((actor) => shop.startActor(actor)));
  const { url } = await shop.startOrderService();
  return { shop, url };
}

test('the pipeline on a real broker', async (t) => {
  const { shop, url } = await runningShop(t);

  await t.test(
    'an order of 50 is paid and shipped, every event keyed by the order and carrying its request id',
    async () => {
      const answer = await postOrder(url, { OrderId: 'it-50', Amount: 50 }, { 'X-Request-Id': 'req-it-50' });
      assert.equal(answer.status, 201);
      assert.deepEqual(answer.body, { status: 'success', message: 'Order Created', orderId: 'it-50' });
      await waitFor('order_shipped of it-50', () => shop.on('order_shipped').some((entry) => entry.key === 'it-50'));

      const story = shop.recorded.filter((entry) => entry.key === 'it-50');
      assert.deepEqual(
        story.map((entry) => [entry.topic, entry.event?.type]),
        [
          ['order_created', 'webshop.order.created'],
          ['payment_completed', 'webshop.payment.completed'],
          ['order_shipped', 'webshop.order.shipped'],
        ],
      );
      for (const entry of story) {
        assert.equal(entry.event?.subject, 'it-50');
        assert.equal(entry.event?.correlationid, 'req-it-50');
        assert.equal(entry.message.headers?.['content-type']?.toString(), 'application/cloudevents+json');
      }
      assert.deepEqual(
        story.map((entry) => entry.event?.source),
        ['webshop/order', 'webshop/payment', 'webshop/shipping'],
      );
      assert.deepEqual(story[1]!.event?.data.amount, 50);
      assert.equal(shop.on('payment_failed').length, 0);
    },
  );

  await t.test('an order of 350 fails payment for insufficient funds and the customer is notified', async () => {
    const answer = await postOrder(url, { orderId: 'it-350', amount: 350 });
    assert.equal(answer.status, 201);
    await waitFor('notification_sent of it-350', () =>
      shop.on('notification_sent').some((entry) => entry.key === 'it-350'),
    );

    const failed = shop.on('payment_failed').find((entry) => entry.key === 'it-350');
    assert.deepEqual(failed?.event?.data, {
      orderId: 'it-350',
      amount: 350,
      reason: 'insufficient_funds',
      message: 'Payment failed due to insufficient funds',
    });
    const notified = shop.on('notification_sent').find((entry) => entry.key === 'it-350');
    assert.equal(notified?.event?.correlationid, answer.headers.get('x-request-id'));
    assert.equal(
      shop.on('payment_completed').some((entry) => entry.key === 'it-350'),
      false,
    );
  });

  await t.test('an order of exactly 300 completes payment and ships', async () => {
    assert.equal((await postOrder(url, { OrderId: 'it-300', Amount: 300 })).status, 201);
    await waitFor('order_shipped of it-300', () => shop.on('order_shipped').some((entry) => entry.key === 'it-300'));
    assert.equal(
      shop.on('payment_failed').some((entry) => entry.key === 'it-300'),
      false,
    );
  });

  await t.test('an order without OrderId gets a generated UUID that its events carry', async () => {
    const answer = await postOrder(url, { Amount: 12.5 });
    assert.equal(answer.status, 201);
    const orderId = String(answer.body.orderId);
    assert.match(orderId, /^[0-9a-f-]{36}$/);
    await waitFor('order_shipped of the generated id', () =>
      shop.on('order_shipped').some((entry) => entry.key === orderId),
    );
  });
});
