// Events written by other CloudEvents SDKs decode as shop events: the cloudevents npm SDK's real Kafka
// structured-mode output, and the Java and Go SDKs' JSON shapes copied into sdk-events.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudEvent as SdkEvent, Kafka, type KafkaMessage } from 'cloudevents';
import { cloudEventContentType, correlationIdOf, createEvent, decodeEvent } from '../../src/contracts/envelope.js';
import { WebshopError } from '../../src/errors.js';
import * as sdk from './sdk-events.js';

function decodeOrder(value: string | Buffer) {
  return decodeEvent(Buffer.from(value), ['webshop.order.created']);
}

test('the npm SDK Kafka structured message of an order without correlationid or datacontenttype decodes', () => {
  const message = Kafka.structured(
    new SdkEvent({ source: '/checkout', type: 'webshop.order.created', data: { orderId: 'js-1', amount: 9.99 } }),
  );
  assert.match(String(message.headers['content-type']), /^application\/cloudevents\+json/);
  const event = decodeOrder(message.value as string);
  assert.deepEqual(event.data, { orderId: 'js-1', amount: 9.99 });
  assert.equal(event.datacontenttype, undefined);
  assert.equal(correlationIdOf(event), event.id);
});

test('the npm SDK keeps our correlationid extension and others, and they survive decoding', () => {
  const message = Kafka.structured(
    new SdkEvent({
      source: 'urn:shop:checkout',
      type: 'webshop.order.created',
      subject: 'js-2',
      datacontenttype: 'application/json',
      correlationid: 'req-js-2',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: { orderId: 'js-2', amount: 1 },
    }),
  );
  const event = decodeOrder(message.value as string);
  assert.equal(correlationIdOf(event), 'req-js-2');
  assert.equal(
    (event as unknown as Record<string, unknown>).traceparent,
    '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  );
});

test('an npm SDK binary-mode message is not a structured CloudEvent and is INVALID_ENVELOPE', () => {
  const message = Kafka.binary(
    new SdkEvent({ source: '/checkout', type: 'webshop.order.created', data: { orderId: 'js-3', amount: 1 } }),
  );
  assert.equal(message.headers.ce_type, 'webshop.order.created');
  assert.throws(
    () => decodeOrder(JSON.stringify(message.value)),
    (error: unknown) => error instanceof WebshopError && error.code === 'INVALID_ENVELOPE',
  );
});

test('our own events are valid for the npm SDK, so other consumers can read them', () => {
  const ours = createEvent(
    'webshop.order.created',
    { orderId: 'o-1', amount: 5 },
    { source: 'webshop/order', correlationId: 'req-1' },
  );
  const value = JSON.stringify(ours);
  const message: KafkaMessage<string> = {
    headers: { 'content-type': cloudEventContentType },
    key: 'o-1',
    value,
    body: value,
  };
  const parsed = Kafka.toEvent(message);
  if (Array.isArray(parsed)) assert.fail('one event, not a batch');
  // The SDK's strict constructor validates against its own CloudEvents schema and throws when it fails.
  const checked = new SdkEvent(parsed, true);
  assert.equal(checked.correlationid, 'req-1');
  assert.deepEqual(checked.data, ours.data);
});

test('a minimal Java SDK event decodes and is correlated by its event id', () => {
  const event = decodeOrder(sdk.javaMinimal);
  assert.deepEqual(event.data, { orderId: 'java-1', amount: 12.5 });
  assert.equal(correlationIdOf(event), '1');
});

test('a Java SDK event with every optional attribute and extensions of each type keeps them', () => {
  const event = decodeOrder(sdk.javaWithExtensions) as unknown as Record<string, unknown>;
  assert.equal(event.time, '2018-04-26T14:48:09+02:00');
  assert.equal(event.dataschema, 'http://localhost/schema');
  assert.deepEqual([event.astring, event.aboolean, event.anumber], ['aaa', true, 10]);
});

test('a Java SDK event with a null subject decodes without one', () => {
  const event = decodeOrder(sdk.javaSubjectNull);
  assert.equal('subject' in event, false);
  assert.equal(event.data.orderId, 'java-3');
});

test('a Java SDK event with JSON data in data_base64 decodes to that data', () => {
  const event = decodeOrder(sdk.javaBase64);
  assert.deepEqual(event.data, { orderId: 'java-4', amount: 20 });
  assert.equal('data_base64' in event, false);
});

test('Go SDK events with nanosecond times, integer extensions and +json content types decode', () => {
  const traced = decodeOrder(sdk.goWithTrace) as unknown as Record<string, unknown>;
  assert.equal(traced.time, '2025-03-04T05:06:07.089123456Z');
  assert.equal(traced.sequence, 7);
  assert.equal(correlationIdOf(decodeOrder(sdk.goWithTrace)), 'b5c1e6a0-3f1d-4a7e-9a55-2f7d0c1e8b11');
  assert.equal(decodeOrder(sdk.goVendorJson).data.orderId, 'go-2');
});

test('the spec example with XML data is a valid envelope whose data the shop cannot read: SCHEMA_VIOLATION', () => {
  assert.throws(
    () => decodeOrder(sdk.specXmlData),
    (error: unknown) => error instanceof WebshopError && error.code === 'SCHEMA_VIOLATION',
  );
});

test('correlationIdOf reads a non-string correlationid in its canonical string form', () => {
  const event = decodeOrder(JSON.stringify({ ...JSON.parse(sdk.javaMinimal), correlationid: 42 }));
  assert.equal(correlationIdOf(event), '42');
  const empty = decodeOrder(JSON.stringify({ ...JSON.parse(sdk.javaMinimal), correlationid: '' }));
  assert.equal(correlationIdOf(empty), '1');
});
