// Unit tests of the shipping actor's pure handler: every paid order is shipped and announced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handlerContext, now } from '../handler-context.js';
import { shippingActor } from '../../../src/actors/shipping/handler.js';
import { createEvent, decodeEvent, encodeEvent } from '../../../src/contracts/envelope.js';

const paymentCompleted = createEvent(
  'webshop.payment.completed',
  { orderId: 'o-1', amount: 50, paymentId: 'payment-1' },
  { source: 'webshop/payment', correlationId: 'req-1', id: 'event-2', time: now },
);

test('the shipping actor reads payment_completed as group shipping', () => {
  assert.equal(shippingActor.name, 'shipping');
  assert.equal(shippingActor.groupId, 'shipping');
  assert.deepEqual(shippingActor.inputs, ['payment_completed']);
  assert.deepEqual(shippingActor.accepts, ['webshop.payment.completed']);
});

test('a paid order is shipped: order.shipped with the new shipment id', () => {
  const outputs = shippingActor.handle(paymentCompleted, handlerContext('shipment-1'));
  assert.deepEqual(outputs, [{ type: 'webshop.order.shipped', data: { orderId: 'o-1', shipmentId: 'shipment-1' } }]);
  const event = createEvent(outputs[0].type, outputs[0].data, { source: 'webshop/shipping', correlationId: 'req-1' });
  assert.doesNotThrow(() => decodeEvent(encodeEvent(event), ['webshop.order.shipped']));
});

test('shipping logs the shipment at info with its amount and shipment id', () => {
  const shipping = handlerContext('shipment-1');
  shippingActor.handle(paymentCompleted, shipping);
  assert.ok(
    shipping.logs.some((entry) => entry.level === 'info' && entry.amount === 50 && entry.shipmentId === 'shipment-1'),
    JSON.stringify(shipping.logs),
  );
});
