// An actor fed events that other CloudEvents producers wrote (src/actors/batch.ts with a fake transaction):
// what it publishes for them, and the error code on the dead letter of the ones it cannot take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processBatch, type BatchPayload } from '../../src/actors/batch.js';
import { createRetryPolicy } from '../../src/actors/retry-policy.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { deadLetterHeaders } from '../../src/contracts/dead-letter.js';
import type { OutgoingMessage } from '../../src/contracts/message.js';
import type { KafkaMessage } from '../../src/kafka/client.js';
import { javaMinimal, javaWithExtensions } from '../contracts/sdk-events.js';
import { handlerContext } from './handler-context.js';

/** Runs the payment actor over `values` as one batch of partition 0; resolves to what it committed. */
async function pay(values: string[]): Promise<OutgoingMessage[]> {
  const context = handlerContext('pay-1');
  const committed: OutgoingMessage[] = [];
  const messages = values.map(
    (value, offset) =>
      ({ key: null, value: Buffer.from(value), headers: {}, offset: String(offset), timestamp: '0' }) as KafkaMessage,
  );
  const payload = {
    batch: { topic: 'order_created', partition: 0, messages },
    resolveOffset: () => undefined,
    isRunning: () => true,
    isStale: () => false,
  } satisfies BatchPayload;
  const { committed: transaction } = processBatch(
    {
      definition: paymentActor,
      config: context.config,
      log: context.log,
      context,
      deadLetterTopic: 'dead_letter',
      groupId: 'payment',
      ledger: { has: () => false, latest: () => undefined, hold: () => ({ settle: () => undefined }) },
      retries: createRetryPolicy(context.config),
      isStopping: () => false,
      transact: async (outgoing) => void committed.push(...outgoing),
    },
    payload,
  );
  await transaction;
  return committed;
}

function published(message: OutgoingMessage): Record<string, unknown> {
  return JSON.parse(String(message.value)) as Record<string, unknown>;
}

test('an order from another SDK without correlationid, subject or time is paid, correlated by its event id', async () => {
  const [message] = await pay([javaMinimal]);
  assert.equal(message.topic, 'payment_completed');
  assert.equal(String(message.key), 'java-1');
  const event = published(message);
  assert.equal(event.type, 'webshop.payment.completed');
  assert.equal(event.subject, 'java-1');
  assert.equal(event.correlationid, '1');
  assert.deepEqual(event.data, { orderId: 'java-1', amount: 12.5, paymentId: 'pay-1' });
});

test('an order from another SDK with extensions and an offset time is processed like our own', async () => {
  const [message] = await pay([javaWithExtensions]);
  assert.equal(message.topic, 'payment_failed');
  assert.equal(published(message).subject, 'java-2');
});

test('a foreign event with data that breaks the schema is dead-lettered as SCHEMA_VIOLATION', async () => {
  const bad = JSON.stringify({ ...JSON.parse(javaMinimal), data: { orderId: 'java-1', amount: 'twelve' } });
  const [message] = await pay([bad]);
  assert.equal(message.topic, 'dead_letter');
  assert.equal(message.headers[deadLetterHeaders.errorCode], 'SCHEMA_VIOLATION');
  assert.equal(String(message.value), bad);
});

test('a valid foreign event of a type the actor does not know is dead-lettered as UNKNOWN_TYPE', async () => {
  const other = JSON.stringify({ ...JSON.parse(javaMinimal), type: 'com.example.someevent' });
  const [message] = await pay([other]);
  assert.equal(message.headers[deadLetterHeaders.errorCode], 'UNKNOWN_TYPE');
});

test('a binary-mode message (data alone in the value, attributes in ce_ headers) is INVALID_ENVELOPE', async () => {
  const [message] = await pay([JSON.stringify({ orderId: 'bin-1', amount: 5 })]);
  assert.equal(message.headers[deadLetterHeaders.errorCode], 'INVALID_ENVELOPE');
});
