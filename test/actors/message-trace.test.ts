// Unit tests of src/actors/message-trace.ts with the SDK registered and an in-memory exporter: the process span
// is the child of the message's context, each output carries a new producer span's context, and spans end once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { endTraces, messageTrace } from '../../src/actors/message-trace.js';
import { traceContextOf } from '../../src/tracing.js';
import type { KafkaMessage } from '../../src/kafka/client.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
const from = { topic: 't.order_created', partition: 2, groupId: 't.payment' };
const message = { key: Buffer.from('o-1'), value: null, offset: '41', timestamp: '0', headers: { traceparent } };

test('an actor message gets a process span under its context and a producer span per output', () => {
  exporter.reset();
  const spans = messageTrace(message as unknown as KafkaMessage, from);
  spans.begin();
  const carrier = spans.output('t.payment_completed', 'e-1', 'o-1');
  endTraces([spans]);
  const [send, processing] = exporter.getFinishedSpans();
  assert.equal(processing.name, 'process t.order_created');
  assert.equal(processing.kind, SpanKind.CONSUMER);
  assert.equal(processing.spanContext().traceId, traceId);
  assert.equal(processing.parentSpanContext?.spanId, '00f067aa0ba902b7');
  assert.deepEqual(
    {
      system: processing.attributes['messaging.system'],
      destination: processing.attributes['messaging.destination.name'],
      partition: processing.attributes['messaging.destination.partition.id'],
      offset: processing.attributes['messaging.kafka.offset'],
      group: processing.attributes['messaging.consumer.group.name'],
      operation: processing.attributes['messaging.operation.type'],
    },
    { system: 'kafka', destination: from.topic, partition: '2', offset: 41, group: from.groupId, operation: 'process' },
  );
  assert.equal(send.name, 'send t.payment_completed');
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(send.parentSpanContext?.spanId, processing.spanContext().spanId);
  assert.equal(send.attributes['messaging.operation.type'], 'send');
  assert.equal(trace.getSpanContext(traceContextOf(carrier))?.spanId, send.spanContext().spanId);
});

test('a message whose batch failed to commit ends its spans as errors', () => {
  exporter.reset();
  const spans = messageTrace(message as unknown as KafkaMessage, from);
  spans.output('t.payment_completed', 'e-1', 'o-1');
  endTraces([spans], new Error('transaction aborted'));
  const finished = exporter.getFinishedSpans();
  assert.equal(finished.length, 2);
  assert.ok(finished.every((span) => span.status.code === SpanStatusCode.ERROR));
});
