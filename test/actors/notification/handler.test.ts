// Unit tests of the notification actor's pure handler: a failed payment alerts the customer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handlerContext, now } from '../handler-context.js';
import { notificationActor } from '../../../src/actors/notification/handler.js';
import { createEvent, decodeEvent, encodeEvent } from '../../../src/contracts/envelope.js';

const paymentFailed = createEvent(
  'webshop.payment.failed',
  { orderId: 'o-350', amount: 350, reason: 'insufficient_funds', message: 'Payment failed due to insufficient funds' },
  { source: 'webshop/payment', correlationId: 'req-1', id: 'event-3', time: now },
);

test('the notification actor reads payment_failed as group notification', () => {
  assert.equal(notificationActor.name, 'notification');
  assert.equal(notificationActor.groupId, 'notification');
  assert.deepEqual(notificationActor.inputs, ['payment_failed']);
  assert.deepEqual(notificationActor.accepts, ['webshop.payment.failed']);
});

test('a failed payment sends an email notification whose message names the order and amount', () => {
  const outputs = notificationActor.handle(paymentFailed, handlerContext('notification-1'));
  assert.equal(outputs.length, 1);
  const [output] = outputs;
  assert.equal(output.type, 'webshop.notification.sent');
  assert.ok(output.type === 'webshop.notification.sent');
  assert.equal(output.data.orderId, 'o-350');
  assert.equal(output.data.channel, 'email');
  assert.match(output.data.message, /\bo-350\b/);
  assert.match(output.data.message, /350\.00/);
  const event = createEvent(output.type, output.data, { source: 'webshop/notification', correlationId: 'req-1' });
  assert.doesNotThrow(() => decodeEvent(encodeEvent(event), ['webshop.notification.sent']));
});

test('the alert is a warning log line with the reason', () => {
  const notification = handlerContext('notification-1');
  notificationActor.handle(paymentFailed, notification);
  assert.ok(
    notification.logs.some((entry) => entry.level === 'warn' && entry.reason === 'insufficient_funds'),
    JSON.stringify(notification.logs),
  );
});
