// Idempotent by orderId: duplicate orders, racing or not, and across a restart, get one payment outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { createEvent } from '../../src/contracts/envelope.js';
import { createProducer } from '../../src/kafka/client.js';
import { eventMessage } from '../../src/kafka/event-message.js';
import { produce } from '../../src/kafka/produce.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop, type Shop } from './shop.js';

const outcomesOf = (shop: Shop, orderId: string) =>
  shop.recorded.filter(
    (entry) => (entry.topic === 'payment_completed' || entry.topic === 'payment_failed') && entry.key === orderId,
  );

test('duplicate orders get exactly one payment outcome and one shipment, also across an actor restart', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  const payment = await shop.startActor(paymentActor);
  await shop.startActor(shippingActor);

  await t.test('the same OrderId posted twice in a row is paid once', async () => {
    assert.equal((await postOrder(url, { OrderId: 'dup-seq', Amount: 10 })).status, 201);
    assert.equal((await postOrder(url, { OrderId: 'dup-seq', Amount: 10 })).status, 201);
    await waitFor(
      'both order.created',
      () => shop.on('order_created').filter((entry) => entry.key === 'dup-seq').length === 2,
    );
    await waitFor('the shipment', () => shop.on('order_shipped').some((entry) => entry.key === 'dup-seq'));
    await shop.drained(paymentActor);
    await shop.drained(shippingActor);
    await shop.count('order_shipped');
    assert.equal(outcomesOf(shop, 'dup-seq').length, 1);
    assert.equal(shop.on('order_shipped').filter((entry) => entry.key === 'dup-seq').length, 1);
  });

  await t.test('five POSTs of one OrderId racing at once are paid once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postOrder(url, { OrderId: 'dup-race', Amount: 400 })),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [201, 201, 201, 201, 201],
    );
    await waitFor(
      'five order.created',
      () => shop.on('order_created').filter((entry) => entry.key === 'dup-race').length === 5,
    );
    await waitFor('a payment outcome', () => outcomesOf(shop, 'dup-race').length > 0);
    await shop.drained(paymentActor);
    await shop.count('payment_failed');
    assert.equal(outcomesOf(shop, 'dup-race').length, 1);
  });

  await t.test('a duplicate that arrives while the actor is down is skipped by the restarted actor', async () => {
    await payment.stop();
    assert.equal((await postOrder(url, { OrderId: 'dup-seq', Amount: 10 })).status, 201);
    assert.equal((await postOrder(url, { OrderId: 'after-restart', Amount: 10 })).status, 201);
    await shop.startActor(paymentActor);
    await waitFor('the new order to be paid', () => outcomesOf(shop, 'after-restart').length === 1);
    await shop.drained(paymentActor);
    await shop.count('payment_completed');
    assert.equal(outcomesOf(shop, 'dup-seq').length, 1, 'the remembered order was not paid again');
  });
});

test('a stray message on an output topic with an order id as key does not make that order count as paid', async (t) => {
  const shop = await createShop(t);
  const writer = createProducer(shop.config, shop.log, 'stray-writer');
  await writer.connect();
  await produce(writer, [
    { topic: shop.topic('payment_completed'), key: 'stray-1', value: Buffer.from('{not an event'), headers: {} },
  ]);
  await writer.disconnect();
  const { url } = await shop.startOrderService();
  await shop.startActor(paymentActor);
  assert.equal((await postOrder(url, { OrderId: 'stray-1', Amount: 10 })).status, 201);
  await waitFor('the payment of stray-1', () =>
    outcomesOf(shop, 'stray-1').some((entry) => entry.event?.type === 'webshop.payment.completed'),
  );
  await shop.drained(paymentActor);
  await shop.count('payment_completed');
  assert.deepEqual(
    outcomesOf(shop, 'stray-1').map((entry) => entry.event?.type ?? 'not an event'),
    ['not an event', 'webshop.payment.completed'],
  );
});

test('an order written to any partition gets its payment outcome on that same partition, and a copy elsewhere is skipped', async (t) => {
  const shop = await createShop(t);
  await shop.startActor(paymentActor);
  const writer = createProducer(shop.config, shop.log, 'by-hand');
  await writer.connect();
  t.after(() => writer.disconnect());
  const origin = { source: 'test', correlationId: 'c' };
  const orderTo = (orderId: string, partition: number) => ({
    ...eventMessage(shop.topic('order_created'), createEvent('webshop.order.created', { orderId, amount: 10 }, origin)),
    partition,
  });
  // Written by hand to partitions 0-5 in turn, most of them not the partition their key would choose.
  const orders = Array.from({ length: 6 }, (_, partition) => `placed-${partition}`);
  await produce(
    writer,
    orders.map((orderId, partition) => orderTo(orderId, partition)),
  );
  await waitFor('six payment outcomes', () => orders.every((orderId) => outcomesOf(shop, orderId).length > 0));
  assert.deepEqual(
    orders.map((orderId) => outcomesOf(shop, orderId).map((entry) => entry.partition)),
    [[0], [1], [2], [3], [4], [5]],
  );

  await produce(writer, [orderTo('placed-0', 3)]);
  await waitFor(
    'the copy on order_created',
    () => shop.on('order_created').filter(({ key }) => key === 'placed-0').length === 2,
  );
  await shop.drained(paymentActor);
  await shop.count('payment_completed');
  assert.equal(outcomesOf(shop, 'placed-0').length, 1, 'the copy on another partition was not paid again');
});

test('with LEDGER_WINDOW_HOURS an order paid within the window is skipped, one paid before it is paid again', async (t) => {
  const shop = await createShop(t, { LEDGER_WINDOW_HOURS: '1' });
  const writer = createProducer(shop.config, shop.log, 'stamped-writer');
  await writer.connect();
  t.after(() => writer.disconnect());
  const paidAt = (orderId: string, msAgo: number) => {
    const time = new Date(Date.now() - msAgo);
    const event = createEvent(
      'webshop.payment.completed',
      { orderId, amount: 10, paymentId: `pay-${orderId}` },
      { source: 'webshop/payment', correlationId: orderId, time },
    );
    const { topic, key, value, headers } = eventMessage(shop.topic('payment_completed'), event);
    return writer.send({
      topic,
      messages: [{ key, value, headers, timestamp: String(time.getTime()) }],
    });
  };
  await paidAt('paid-recently', 30 * 60_000);
  await paidAt('paid-long-ago', 3 * 3_600_000);
  const { url } = await shop.startOrderService();
  await shop.startActor(paymentActor);
  for (const orderId of ['paid-recently', 'paid-long-ago']) {
    assert.equal((await postOrder(url, { OrderId: orderId, Amount: 10 })).status, 201);
  }
  await waitFor('the order paid long ago to be paid again', () => outcomesOf(shop, 'paid-long-ago').length === 2);
  await shop.drained(paymentActor);
  await shop.count('payment_completed');
  assert.equal(outcomesOf(shop, 'paid-recently').length, 1, 'remembered within the window: not paid again');
});
