// The order-status API on the real broker: the status actor folds the shop's events into order_status, and
// the order service answers GET /orders/:id (200, 202, 404, 400, waiting for the terminal status) and GET /orders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import type { OrderStatus } from '../../src/contracts/order-status.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('GET /orders/:id?wait=terminal answers each order once it is terminal, with its whole journey', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  await Promise.all(
    [paymentActor, shippingActor, notificationActor, statusActor].map((actor) => shop.startActor(actor)),
  );
  assert.equal((await postOrder(url, { OrderId: 'st-350', Amount: 350 })).status, 201);
  assert.equal((await postOrder(url, { OrderId: 'st-50', Amount: 50 })).status, 201);

  const failed = await get(`${url}/orders/st-350?wait=terminal&timeout=20000`);
  assert.equal(failed.status, 200);
  const record = failed.body as unknown as OrderStatus;
  assert.equal(record.status, 'customer_notified');
  assert.equal(record.amount, 350);
  assert.deepEqual(
    record.history.map(({ type, topic }) => [type, topic]),
    [
      ['webshop.order.created', shop.topic('order_created')],
      ['webshop.payment.failed', shop.topic('payment_failed')],
      ['webshop.notification.sent', shop.topic('notification_sent')],
    ],
  );
  const paid = await get(`${url}/orders/st-50?wait=terminal&timeout=20000`);
  assert.equal(paid.body.status, 'shipped');
  assert.equal((paid.body as unknown as OrderStatus).history.length, 3);

  // The waits above cover the table's loading; a plain read answers 503 until it is done.
  await waitFor('the status table to load', async () => (await fetch(`${url}/orders?limit=1`)).status === 200);
  const list = await get(`${url}/orders?limit=1`);
  assert.equal(list.status, 200);
  assert.equal((list.body.orders as OrderStatus[]).length, 1);
  const all = await get(`${url}/orders`);
  assert.deepEqual((all.body.orders as OrderStatus[]).map(({ orderId }) => orderId).sort(), ['st-350', 'st-50']);
  await shop.drained(statusActor);
  assert.equal(await shop.count('order_status'), 6, 'one record per event folded, none twice');
});

test('an order this instance just produced is 202 accepted until projected; an unknown one is 404, a bad id 400', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  // No status actor yet: the order stays unprojected.
  assert.equal((await postOrder(url, { OrderId: 'st-new', Amount: 20 })).status, 201);
  await waitFor('the status table to load', async () => (await fetch(`${url}/orders?limit=1`)).status === 200);
  assert.deepEqual(await get(`${url}/orders/st-new`), {
    status: 202,
    body: { status: 'accepted', message: 'Order accepted, not projected yet', orderId: 'st-new' },
  });
  const unknown = await get(`${url}/orders/nobody`);
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body, { status: 'error', message: 'Order not found', orderId: 'nobody' });
  const bad = await get(`${url}/orders/${encodeURIComponent('not valid!')}`);
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.errors, [{ field: 'id', message: 'must be 1-64 letters, digits, "-" or "_"' }]);
  for (const query of ['wait=soon', 'wait=terminal&timeout=99999', 'wait=terminal&timeout=abc']) {
    const answer = await get(`${url}/orders/st-new?${query}`);
    assert.equal(answer.status, 400, query);
    const field = query.includes('timeout') ? 'timeout' : 'wait';
    assert.equal((answer.body.errors as { field: string }[])[0]?.field, field, query);
  }
  const badLimit = await get(`${url}/orders?limit=0`);
  assert.equal(badLimit.status, 400);
  assert.equal((badLimit.body.errors as { field: string }[])[0]?.field, 'limit');

  await shop.startActor(statusActor);
  const created = await get(`${url}/orders/st-new?wait=terminal&timeout=300`);
  assert.equal(created.status === 200 || created.status === 202, true, 'the timeout answers what is there so far');
  await waitFor('the order to be projected', async () => (await get(`${url}/orders/st-new`)).status === 200);
  assert.equal((await get(`${url}/orders/st-new`)).body.status, 'created');
});
