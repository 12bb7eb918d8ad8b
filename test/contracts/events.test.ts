// Unit tests of src/contracts/events.ts: every event type has a schema and a topic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dataSchema, eventTopics, eventTypes, isEventType } from '../../src/contracts/events.js';
import { topicNames } from '../../src/contracts/topics.js';

test('the shop has exactly the six event types of the contract', () => {
  assert.deepEqual([...eventTypes].sort(), [
    'webshop.notification.sent',
    'webshop.order.created',
    'webshop.order.shipped',
    'webshop.order.status',
    'webshop.payment.completed',
    'webshop.payment.failed',
  ]);
});

test('each event type travels on its own topic, never on the dead-letter topic', () => {
  assert.deepEqual(eventTopics, {
    'webshop.order.created': 'order_created',
    'webshop.payment.completed': 'payment_completed',
    'webshop.payment.failed': 'payment_failed',
    'webshop.order.shipped': 'order_shipped',
    'webshop.notification.sent': 'notification_sent',
    'webshop.order.status': 'order_status',
  });
  for (const name of Object.values(eventTopics)) assert.ok(topicNames.includes(name));
});

test('every event schema requires orderId and allows no other fields than its own', () => {
  for (const type of eventTypes) {
    const schema = dataSchema(type);
    assert.ok((schema.required as string[]).includes('orderId'), type);
    assert.equal(schema.additionalProperties, false, type);
  }
});

test('isEventType knows the shop types and nothing else, not even object built-ins', () => {
  assert.equal(isEventType('webshop.order.created'), true);
  for (const value of ['webshop.order.deleted', 'toString', '__proto__', '', 42, null, undefined]) {
    assert.equal(isEventType(value), false, String(value));
  }
});
