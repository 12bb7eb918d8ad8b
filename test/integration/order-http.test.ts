// The order endpoint against the real broker: bad input is refused with a clear answer and publishes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

test('invalid orders get a 4xx naming the problem and publish nothing; the valid one after them is published', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();

  const wrongType = await postOrder(url, { OrderId: '1', Amount: '50' });
  assert.equal(wrongType.status, 400);
  assert.deepEqual(wrongType.body.errors, [{ field: 'Amount', message: 'must be a number' }]);
  assert.equal((await postOrder(url, { OrderId: '1', Amount: 50, Coupon: 'x' })).status, 400);
  assert.equal((await postOrder(url, { OrderId: '1', Amount: 0 })).status, 400);
  assert.equal((await postOrder(url, '{"OrderId": "1", "Amount": ')).status, 400);
  assert.equal((await postOrder(url, { OrderId: '1', Amount: 1, Note: 'x'.repeat(17 * 1024) })).status, 413);
  const textPlain = await fetch(`${url}/order`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'Amount=5',
  });
  assert.equal(textPlain.status, 415);
  const unknown = await fetch(`${url}/basket`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { status: string }).status, 'error');

  assert.equal((await postOrder(url, { OrderId: 'valid-1', Amount: 5 })).status, 201);
  await waitFor('the valid order on order_created', () => shop.on('order_created').length === 1);
  assert.equal(await shop.count('order_created'), 1, 'only the valid order was published');
  assert.equal(shop.on('order_created')[0]!.key, 'valid-1');
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
});
