// Unit tests of src/contracts/dead-letter.ts: a dead letter keeps the failed message's bytes and headers
// and adds the dlq-* headers that say where it came from and why it failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadLetter, deadLetterHeaders } from '../../src/contracts/dead-letter.js';
import type { KafkaMessage } from '../../src/kafka/client.js';

const origin = { topic: 'test-1.order_created', partition: 3, groupId: 'payment', actor: 'payment' };
const reason = {
  code: 'INVALID_JSON' as const,
  message: 'value is not JSON: Unexpected token',
  attempts: 1,
  failedAt: new Date('2025-03-04T05:06:07.089Z'),
};

function message(overrides: Partial<KafkaMessage> = {}): KafkaMessage {
  return {
    key: Buffer.from('o-1'),
    // Not valid UTF-8 on purpose: the bytes must survive untouched, not round-trip through a string.
    value: Buffer.from([0x7b, 0xff, 0x00, 0xfe, 0x22]),
    timestamp: '1741064767089',
    attributes: 0,
    offset: '42',
    headers: { 'content-type': Buffer.from('application/cloudevents+json'), traceparent: '00-abc-def-01' },
    ...overrides,
  } as KafkaMessage;
}

test('a dead letter goes to the dead-letter topic with the key and value bytes unchanged', () => {
  const original = message();
  const letter = deadLetter('test-1.dead_letter', original, origin, reason);
  assert.equal(letter.topic, 'test-1.dead_letter');
  assert.ok(Buffer.isBuffer(letter.key) && letter.key.equals(Buffer.from('o-1')));
  assert.ok(Buffer.isBuffer(letter.value) && letter.value.equals(Buffer.from([0x7b, 0xff, 0x00, 0xfe, 0x22])));
});

test('a dead letter of a message without key or value keeps them null', () => {
  const letter = deadLetter('dead_letter', message({ key: null, value: null }), origin, reason);
  assert.equal(letter.key, null);
  assert.equal(letter.value, null);
});

test('a dead letter keeps the original headers and adds every dlq header with its value', () => {
  const letter = deadLetter('test-1.dead_letter', message(), origin, reason);
  const { 'content-type': contentType, ...rest } = letter.headers;
  assert.ok(Buffer.isBuffer(contentType) && contentType.equals(Buffer.from('application/cloudevents+json')));
  assert.deepEqual(rest, {
    traceparent: '00-abc-def-01',
    'dlq-original-topic': 'test-1.order_created',
    'dlq-original-partition': '3',
    'dlq-original-offset': '42',
    'dlq-original-timestamp': '1741064767089',
    'dlq-consumer-group': 'payment',
    'dlq-actor': 'payment',
    'dlq-error-code': 'INVALID_JSON',
    'dlq-error-message': 'value is not JSON: Unexpected token',
    'dlq-failed-at': '2025-03-04T05:06:07.089Z',
    'dlq-attempts': '1',
  });
});

test('the dlq header names are the ones the contract lists', () => {
  assert.deepEqual(Object.values(deadLetterHeaders).sort(), [
    'dlq-actor',
    'dlq-attempts',
    'dlq-consumer-group',
    'dlq-error-code',
    'dlq-error-message',
    'dlq-failed-at',
    'dlq-original-offset',
    'dlq-original-partition',
    'dlq-original-timestamp',
    'dlq-original-topic',
  ]);
});

test('a replayed dead letter that fails again gets fresh dlq headers, not the old ones', () => {
  const replayed = message({
    headers: { 'dlq-error-code': 'SCHEMA_VIOLATION', 'dlq-original-offset': '7', 'content-type': 'x' },
  });
  const letter = deadLetter('dead_letter', replayed, origin, reason);
  assert.equal(letter.headers['dlq-error-code'], 'INVALID_JSON');
  assert.equal(letter.headers['dlq-original-offset'], '42');
  assert.equal(letter.headers['content-type'], 'x');
});

test('a message without headers still gets every dlq header', () => {
  const letter = deadLetter('dead_letter', message({ headers: {} }), origin, reason);
  for (const name of Object.values(deadLetterHeaders)) assert.ok(name in letter.headers, name);
});

test('a very long error message is cut to 1000 characters in its header', () => {
  const letter = deadLetter('dead_letter', message(), origin, { ...reason, message: 'x'.repeat(5000) });
  assert.equal(letter.headers['dlq-error-message'], 'x'.repeat(1000));
});
