// Unit tests of the shipping actor's pure handler: every paid order is shipped and announced.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import winston from 'winston';
import type { ActorContext } from '../../../src/actors/runtime.js';
import { shippingActor } from '../../../src/actors/shipping/handler.js';
import { loadConfig } from '../../../src/config.js';
import { createEvent, decodeEvent, encodeEvent } from '../../../src/contracts/envelope.js';

const now = new Date('2025-03-04T05:06:07.089Z');

function context(): ActorContext & { logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: Record<string, unknown>, _encoding, callback) {
      logs.push(info);
      callback();
    },
  });
  return {
    config: loadConfig({}),
    log: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] }),
    newId: () => 'shipment-1',
    now: () => now,
    logs,
  };
}

const paymentCompleted = createEvent(
  'webshop.payment.completed',
  { orderId: 'o-1', amount: 50, paymentId: 'payment-1' },
  { source: 'webshop/payment', correlationId: 'req-1', id: 'event-2', time: now },
);

test('the shipping actor reads payment_completed as group shipping', () => {
  assert.equal(shippingActor.name, 'shipping');
  assert.equal(shippingActor.groupId, 'shipping');
  assert.equal(shippingActor.input, 'payment_completed');
  assert.deepEqual(shippingActor.accepts, ['webshop.payment.completed']);
});

test('a paid order is shipped: order.shipped with the new shipment id', () => {
  const outputs = shippingActor.handle(paymentCompleted, context());
  assert.deepEqual(outputs, [{ type: 'webshop.order.shipped', data: { orderId: 'o-1', shipmentId: 'shipment-1' } }]);
  const event = createEvent(outputs[0].type, outputs[0].data, { source: 'webshop/shipping', correlationId: 'req-1' });
  assert.doesNotThrow(() => decodeEvent(encodeEvent(event), ['webshop.order.shipped']));
});

test('shipping logs the shipment at info with its amount and shipment id', () => {
  const shipping = context();
  shippingActor.handle(paymentCompleted, shipping);
  assert.ok(
    shipping.logs.some((entry) => entry.level === 'info' && entry.amount === 50 && entry.shipmentId === 'shipment-1'),
    JSON.stringify(shipping.logs),
  );
});
