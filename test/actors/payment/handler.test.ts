// Unit tests of the payment actor's pure handler: which orders are paid, which fail, and what it says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handlerContext, now } from '../handler-context.js';
import { WebshopError } from '../../../src/errors.js';
import { paymentActor } from '../../../src/actors/payment/handler.js';
import type { Outgoing } from '../../../src/actors/types.js';
import { createEvent, decodeEvent, encodeEvent } from '../../../src/contracts/envelope.js';

function orderCreated(amount: number) {
  return createEvent(
    'webshop.order.created',
    { orderId: 'o-1', amount },
    {
      source: 'webshop/order',
      correlationId: 'req-1',
      id: 'event-1',
      time: now,
    },
  );
}

/** Throws unless `output` would pass the consumer's own validation as a CloudEvent. */
function assertValidEvent(output: Outgoing): void {
  const event = createEvent(output.type, output.data, { source: 'webshop/payment', correlationId: 'req-1' });
  assert.deepEqual(decodeEvent(encodeEvent(event), [output.type]).data, output.data);
}

test('the payment actor reads order_created as group payment', () => {
  assert.equal(paymentActor.name, 'payment');
  assert.equal(paymentActor.groupId, 'payment');
  assert.deepEqual(paymentActor.inputs, ['order_created']);
  assert.deepEqual(paymentActor.accepts, ['webshop.order.created']);
});

test('an order of 50 is paid: payment.completed with the new payment id', () => {
  const outputs = paymentActor.handle(orderCreated(50), handlerContext('payment-1'));
  assert.deepEqual(outputs, [
    { type: 'webshop.payment.completed', data: { orderId: 'o-1', amount: 50, paymentId: 'payment-1' } },
  ]);
  assertValidEvent(outputs[0]);
});

test('an order of exactly the limit 300 is paid', () => {
  assert.deepEqual(paymentActor.handle(orderCreated(300), handlerContext('payment-1')), [
    { type: 'webshop.payment.completed', data: { orderId: 'o-1', amount: 300, paymentId: 'payment-1' } },
  ]);
});

test('orders of 300.01 and 350 fail with insufficient_funds and the exact message', () => {
  for (const amount of [300.01, 350]) {
    const outputs = paymentActor.handle(orderCreated(amount), handlerContext('payment-1'));
    assert.deepEqual(outputs, [
      {
        type: 'webshop.payment.failed',
        data: {
          orderId: 'o-1',
          amount,
          reason: 'insufficient_funds',
          message: 'Payment failed due to insufficient funds',
        },
      },
    ]);
    assertValidEvent(outputs[0]);
  }
});

test('the limit comes from the PAYMENT_LIMIT setting', () => {
  const lowLimit = handlerContext('payment-1', { env: { PAYMENT_LIMIT: '100' } });
  assert.equal(paymentActor.handle(orderCreated(150), lowLimit)[0].type, 'webshop.payment.failed');
  assert.equal(paymentActor.handle(orderCreated(100), lowLimit)[0].type, 'webshop.payment.completed');
  const highLimit = handlerContext('payment-1', { env: { PAYMENT_LIMIT: '1000' } });
  assert.equal(paymentActor.handle(orderCreated(350), highLimit)[0].type, 'webshop.payment.completed');
});

test('a failed payment is logged with its reason and limit, a completed one with its payment id', () => {
  const failed = handlerContext('payment-1');
  paymentActor.handle(orderCreated(350), failed);
  assert.ok(
    failed.logs.some((entry) => entry.reason === 'insufficient_funds' && entry.limit === 300 && entry.amount === 350),
    JSON.stringify(failed.logs),
  );
  const completed = handlerContext('payment-1');
  paymentActor.handle(orderCreated(50), completed);
  assert.ok(
    completed.logs.some((entry) => entry.paymentId === 'payment-1'),
    JSON.stringify(completed.logs),
  );
});

test('with PAYMENT_FAILURE_RATE the gateway fails with a retriable PAYMENT_GATEWAY_UNAVAILABLE when chance says so', () => {
  const unlucky = handlerContext('payment-1', { env: { PAYMENT_FAILURE_RATE: '0.3' }, random: () => 0.29 });
  assert.throws(
    () => paymentActor.handle(orderCreated(50), unlucky),
    (error: unknown) =>
      error instanceof WebshopError && error.code === 'PAYMENT_GATEWAY_UNAVAILABLE' && error.retriable,
  );
  const lucky = handlerContext('payment-1', { env: { PAYMENT_FAILURE_RATE: '0.3' }, random: () => 0.3 });
  assert.equal(paymentActor.handle(orderCreated(50), lucky)[0]?.type, 'webshop.payment.completed');
});
