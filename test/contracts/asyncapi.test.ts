// Unit tests of src/contracts/asyncapi.ts and topic-contracts.ts: the AsyncAPI document is valid for the official
// parser, has every topic, its examples match their schemas, and the schemas accept what the code writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from '@asyncapi/parser';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { replayRecord } from '../../src/cli/dlq-letters.js';
import { asyncApiDocument } from '../../src/contracts/asyncapi.js';
import { deadLetter } from '../../src/contracts/dead-letter.js';
import { createEvent, decodeEvent } from '../../src/contracts/envelope.js';
import { eventTopics, eventTypes, type EventType } from '../../src/contracts/events.js';
import type { MessageContract } from '../../src/contracts/message-contracts.js';
import { topicContracts } from '../../src/contracts/topic-contracts.js';
import { topicDefinitions } from '../../src/contracts/topics.js';
import { eventMessage } from '../../src/kafka/event-message.js';
import { documentSchemas, errorsOf } from '../document-schemas.js';

const document = asyncApiDocument();
const compile = documentSchemas(document, 'draft-07');
const messages = Object.values(topicContracts).flatMap((contract) => contract.messages);
const messageNamed = (name: string): MessageContract => messages.find((message) => message.name === name)!;

/** Asserts that `value` matches `schema`, naming the message and the part in the failure. */
function assertMatches(schema: unknown, value: unknown, what: string): void {
  const validate = compile(schema);
  assert.ok(validate(value), `${what} does not match its schema: ${errorsOf(validate)}`);
}

test('the AsyncAPI document is valid AsyncAPI 3.0 for @asyncapi/parser, without errors or warnings', async () => {
  const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
  // Severity 0 is an error, 1 a warning; 2 and 3 are hints (such as "3.1.0 exists").
  const problems = diagnostics.filter((diagnostic) => diagnostic.severity <= 1);
  assert.deepEqual(
    problems.map((problem) => `${problem.path.join('/')}: ${problem.message}`),
    [],
  );
  assert.ok(parsed, 'the parser gave no document');
  assert.equal(parsed.version(), '3.0.0');
  assert.equal(parsed.channels().length, topicDefinitions().length);
});

test('every topic of config/topics.conf is a channel with its partitions, replicas and topic configs', () => {
  const channels = document.channels as Record<
    string,
    { address: string; bindings: { kafka: Record<string, unknown> } }
  >;
  for (const definition of topicDefinitions()) {
    const channel = channels[definition.name];
    assert.ok(channel, `no channel for ${definition.name}`);
    assert.equal(channel.address, definition.name);
    assert.equal(channel.bindings.kafka.partitions, definition.partitions);
    assert.equal(channel.bindings.kafka.replicas, definition.replicationFactor);
  }
  const { kafka } = channels.dead_letter_replays!.bindings;
  assert.deepEqual(kafka.topicConfiguration, { 'cleanup.policy': ['compact'] });
  assert.deepEqual(channels.dead_letter!.bindings.kafka.topicConfiguration, { 'retention.ms': 1209600000 });
});

test('every event type is a message on the topic it travels on', () => {
  for (const type of eventTypes) {
    const names = topicContracts[eventTopics[type]].messages.map((message) => message.name);
    assert.deepEqual(names, [type]);
  }
});

test('every example message matches the schemas of its key, headers and value', () => {
  const components = (document.components as { messages: Record<string, Record<string, unknown>> }).messages;
  for (const message of messages) {
    const published = components[message.name]!;
    const [example] = published.examples as { headers: unknown; payload: unknown }[];
    assertMatches(published.payload, example!.payload, `${message.name} example value`);
    assertMatches(published.headers, example!.headers, `${message.name} example headers`);
    assertMatches(message.key, message.example.key, `${message.name} example key`);
  }
});

test('a value that breaks its event schema is rejected by the document, as by the code', () => {
  const { payload } = messageNamed('webshop.order.created');
  const bad = {
    ...(messageNamed('webshop.order.created').example.payload as object),
    data: { orderId: '1', amount: -1 },
  };
  assert.equal(compile(payload)(bad), false);
  assert.throws(() => decodeEvent(Buffer.from(JSON.stringify(bad)), ['webshop.order.created']), /SCHEMA|invalid/);
});

test('every event example is an event the actors decode', () => {
  for (const type of eventTypes) {
    const { example } = messageNamed(type);
    const decoded = decodeEvent(Buffer.from(JSON.stringify(example.payload)), [type]);
    assert.equal(decoded.type, type);
  }
});

test('an event message as the kafka layer writes it matches its key, headers and value schemas', () => {
  const event = createEvent(
    'webshop.order.shipped',
    { orderId: 'o-1', shipmentId: 's-1' },
    {
      source: 'webshop/shipping',
      correlationId: 'c-1',
    },
  );
  const message = eventMessage('order_shipped', event);
  const contract = messageNamed('webshop.order.shipped');
  assertMatches(contract.key, message.key, 'the key');
  assertMatches(contract.headers, message.headers, 'the headers');
  assertMatches(contract.payload, JSON.parse(String(message.value)), 'the value');
});

test('a dead letter as the runtime writes it matches the dead-letter headers schema', () => {
  const failed = { key: Buffer.from('123'), value: Buffer.from('{'), offset: '7', timestamp: '1795707138681' };
  const origin = { topic: 'order_created', partition: 2, groupId: 'payment', actor: 'payment' };
  const reason = { code: 'INVALID_JSON' as const, message: 'value is not JSON', attempts: 1, failedAt: new Date() };
  const letter = deadLetter('dead_letter', { ...failed, headers: { 'content-type': 'x' } }, origin, reason);
  const { headers } = messageNamed('deadLetter');
  assertMatches(headers, letter.headers, 'the dead-letter headers');
  const withoutActor = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => name !== 'dlq-actor'));
  assert.equal(compile(headers)(withoutActor), false, 'a dead letter without dlq-actor passes');
});

test('a replay record as make dlq-replay writes it matches the dead_letter_replays schemas', () => {
  const entry = { id: '3/17', origin: { topic: 'order_created', partition: '3', offset: '9' } };
  const record = replayRecord('dead_letter_replays', entry as Parameters<typeof replayRecord>[1], new Date());
  const contract = messageNamed('deadLetterReplay');
  assertMatches(contract.key, record.key, 'the replay key');
  assertMatches(contract.payload, JSON.parse(String(record.value)), 'the replay value');
});

test("the producers and consumers of each event topic are the actors' emits and accepts", () => {
  const actors = [paymentActor, shippingActor, notificationActor, statusActor];
  for (const type of eventTypes) {
    const contract = topicContracts[eventTopics[type]];
    const emitters = actors.filter((actor) => (actor.emits as readonly EventType[]).includes(type));
    const acceptors = actors.filter((actor) => (actor.accepts as readonly EventType[]).includes(type));
    const producers = type === 'webshop.order.created' ? ['order'] : emitters.map((actor) => actor.name);
    assert.deepEqual(contract.producers, producers, `producers of ${type}`);
    // The order service reads the status records into its table for GET /orders.
    const readers = type === 'webshop.order.status' ? ['order'] : [];
    assert.deepEqual(contract.consumers, [...acceptors.map((actor) => actor.name), ...readers], `consumers of ${type}`);
  }
});
