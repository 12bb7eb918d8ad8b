// Unit tests of src/tracing.ts and the trace context on the wire with no SDK registered (tracing off): the
// W3C traceparent is parsed, passed on unchanged by the no-op spans, and written as CloudEvent attributes and headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { messageTrace } from '../src/actors/message-trace.js';
import { loadConfig } from '../src/config.js';
import { deadLetter } from '../src/contracts/dead-letter.js';
import { createEvent, decodeEvent } from '../src/contracts/envelope.js';
import type { KafkaMessage } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { messageTraceContext } from '../src/kafka/message-spans.js';
import { startSpan, startTracing, traceCarrierOf, traceContextOf, tracingRecords } from '../src/tracing.js';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tracestate = 'vendor=value';
const origin = { source: 'webshop/order', correlationId: 'c-1' };

test('a valid traceparent becomes the remote parent of the trace context', () => {
  const parent = trace.getSpanContext(traceContextOf({ traceparent, tracestate }));
  assert.equal(parent?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(parent?.spanId, '00f067aa0ba902b7');
  assert.equal(parent?.isRemote, true);
  assert.equal(parent?.traceState?.get('vendor'), 'value');
});

test('a missing or malformed traceparent gives the root context, so a new trace starts', () => {
  assert.equal(traceContextOf({}), ROOT_CONTEXT);
  assert.equal(trace.getSpanContext(traceContextOf({ traceparent: '00-zz-00f067aa0ba902b7-01' })), undefined);
  assert.equal(trace.getSpanContext(traceContextOf({ traceparent: 42 })), undefined);
});

test('with tracing off a child span passes the incoming traceparent and tracestate on unchanged', () => {
  const span = startSpan('send order_created', SpanKind.PRODUCER, traceContextOf({ traceparent, tracestate }), {});
  assert.deepEqual(traceCarrierOf(span), { traceparent, tracestate });
});

test('with tracing off and no incoming traceparent nothing is written', () => {
  assert.deepEqual(traceCarrierOf(startSpan('POST /order', SpanKind.SERVER, ROOT_CONTEXT, {})), {});
});

test('tracing stays off and registers no SDK when OTEL_EXPORTER_OTLP_ENDPOINT is not set', async () => {
  const tracing = await startTracing(loadConfig({}), 'order');
  assert.equal(tracing.enabled, false);
  assert.equal(trace.getTracer('x').startSpan('y').isRecording(), false);
  assert.equal(tracingRecords(), false);
  await tracing.stop();
});

test('OTEL_TRACES_EXPORTER=none keeps the SDK off even with an endpoint, and names its values when wrong', async () => {
  const tracing = await startTracing(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }),
    'order',
  );
  assert.equal(tracing.enabled, false);
  assert.equal(trace.getTracer('x').startSpan('y').isRecording(), false);
  assert.throws(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }), /OTEL_TRACES_EXPORTER must be equal to one of/);
});

test('OTEL_TRACES_EXPORTER=discard records every span without an endpoint, and stops cleanly', async (t) => {
  const tracing = await startTracing(loadConfig({ OTEL_TRACES_EXPORTER: 'discard' }), 'payment');
  t.after(() => trace.disable());
  assert.equal(tracing.enabled, true);
  assert.equal(tracingRecords(), true);
  const span = startSpan('send order_created', SpanKind.PRODUCER, traceContextOf({ traceparent }), {});
  assert.equal(span.isRecording(), true);
  assert.equal(span.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.notEqual(traceCarrierOf(span).traceparent, traceparent, 'the recorded span has its own span id');
  span.end();
  await tracing.stop();
});

test('an event with a trace context carries it as CloudEvent attributes and as Kafka headers', () => {
  const event = createEvent(
    'webshop.order.created',
    { orderId: 'o-1', amount: 5 },
    { ...origin, trace: { traceparent, tracestate } },
  );
  const message = eventMessage('order_created', event);
  assert.equal(message.headers.traceparent, traceparent);
  assert.equal(message.headers.tracestate, tracestate);
  const decoded = decodeEvent(Buffer.from(message.value as Buffer), ['webshop.order.created']);
  assert.equal(decoded.traceparent, traceparent);
  assert.equal(decoded.tracestate, tracestate);
});

test('an event without a trace context has neither the attributes nor the headers', () => {
  const message = eventMessage(
    'order_created',
    createEvent('webshop.order.created', { orderId: 'o-1', amount: 5 }, origin),
  );
  assert.equal(message.headers.traceparent, undefined);
  assert.equal(JSON.parse(String(message.value)).traceparent, undefined);
});

test('a consumed message is continued from its CloudEvent attribute, else from its traceparent header', () => {
  const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const headers = { traceparent: Buffer.from(other) };
  assert.equal(trace.getSpanContext(messageTraceContext({ headers }, { traceparent }))?.spanId, '00f067aa0ba902b7');
  assert.equal(trace.getSpanContext(messageTraceContext({ headers }))?.spanId, 'b7ad6b7169203331');
});

test('with tracing off an actor passes the incoming traceparent on to its outputs', () => {
  const message = { key: Buffer.from('o-1'), value: null, offset: '7', timestamp: '0', headers: { traceparent } };
  const spans = messageTrace(message as unknown as KafkaMessage, {
    topic: 'order_created',
    partition: 0,
    groupId: 'payment',
  });
  assert.deepEqual(spans.output('payment_completed', 'e-1', 'o-1'), { traceparent });
  spans.end();
});

test('with tracing off an actor passes on the event’s own trace context rather than its header’s', () => {
  const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const message = { key: null, value: null, offset: '8', timestamp: '0', headers: { traceparent: other } };
  const spans = messageTrace(message as unknown as KafkaMessage, {
    topic: 'order_created',
    partition: 0,
    groupId: 'g',
  });
  spans.begin(
    createEvent(
      'webshop.order.created',
      { orderId: 'o-1', amount: 5 },
      { ...origin, trace: { traceparent, tracestate } },
    ),
  );
  assert.deepEqual(spans.output('payment_completed', 'e-1', 'o-1'), { traceparent, tracestate });
  assert.deepEqual(spans.output('order_status', 'e-2', 'o-1'), { traceparent, tracestate });
  spans.end();
});

test('a dead letter keeps the traceparent and tracestate headers of its message', () => {
  const message = {
    key: null,
    value: Buffer.from('{'),
    offset: '3',
    timestamp: '0',
    headers: { traceparent, tracestate },
  };
  const failure = { code: 'INVALID_JSON' as const, message: 'bad', attempts: 1, failedAt: new Date(0) };
  const letter = deadLetter(
    'dead_letter',
    message,
    { topic: 't', partition: 0, groupId: 'g', actor: 'payment' },
    failure,
  );
  assert.equal(letter.headers.traceparent, traceparent);
  assert.equal(letter.headers.tracestate, tracestate);
});
