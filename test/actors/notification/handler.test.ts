// Unit tests of the notification actor's pure handler: a failed payment alerts the customer.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import winston from 'winston';
import { notificationActor } from '../../../src/actors/notification/handler.js';
import type { ActorContext } from '../../../src/actors/runtime.js';
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
    newId: () => 'notification-1',
    now: () => now,
    logs,
  };
}

const paymentFailed = createEvent(
  'webshop.payment.failed',
  { orderId: 'o-350', amount: 350, reason: 'insufficient_funds', message: 'Payment failed due to insufficient funds' },
  { source: 'webshop/payment', correlationId: 'req-1', id: 'event-3', time: now },
);

test('the notification actor reads payment_failed as group notification', () => {
  assert.equal(notificationActor.name, 'notification');
  assert.equal(notificationActor.groupId, 'notification');
  assert.equal(notificationActor.input, 'payment_failed');
  assert.deepEqual(notificationActor.accepts, ['webshop.payment.failed']);
});

test('a failed payment sends an email notification whose message names the order and amount', () => {
  const outputs = notificationActor.handle(paymentFailed, context());
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
  const notification = context();
  notificationActor.handle(paymentFailed, notification);
  assert.ok(
    notification.logs.some((entry) => entry.level === 'warn' && entry.reason === 'insufficient_funds'),
    JSON.stringify(notification.logs),
  );
});
