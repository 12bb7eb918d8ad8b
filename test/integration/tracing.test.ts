// One order is one trace across the services on the real broker: with the SDK's in-memory exporter registered, the
// HTTP, producer and process spans of the order, payment and shipping share the incoming trace id, parent by parent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const incomingSpanId = '00f067aa0ba902b7';

test('an order placed with a traceparent is one trace from the HTTP request to the shipment', async (t) => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  t.after(async () => {
    trace.disable();
    await provider.shutdown();
  });
  const shop = await createShop(t);
  await shop.startActor(paymentActor);
  await shop.startActor(shippingActor);
  const { url } = await shop.startOrderService();

  const answer = await postOrder(
    url,
    { OrderId: 'traced-1', Amount: 20 },
    {
      traceparent: `00-${traceId}-${incomingSpanId}-01`,
    },
  );
  assert.equal(answer.status, 201);
  const named = (name: string): ReadableSpan | undefined =>
    exporter.getFinishedSpans().find((span) => span.name === name && span.spanContext().traceId === traceId);
  const names = [
    'POST /order',
    `send ${shop.topic('order_created')}`,
    `process ${shop.topic('order_created')}`,
    `send ${shop.topic('payment_completed')}`,
    `process ${shop.topic('payment_completed')}`,
  ];
  await waitFor(
    'the spans of the order, the payment and the shipment',
    () => names.every((name) => named(name)),
    20000,
  );
  const [http, sendOrder, payment, sendPayment, shipping] = names.map((name) => named(name)!);

  assert.equal(http.kind, SpanKind.SERVER);
  assert.equal(http.parentSpanContext?.spanId, incomingSpanId);
  assert.equal(http.attributes['http.response.status_code'], 201);
  const chain = [http, sendOrder, payment, sendPayment, shipping];
  for (const [index, span] of chain.entries()) {
    if (index === 0) continue;
    assert.equal(span.parentSpanContext?.spanId, chain[index - 1]!.spanContext().spanId, `${span.name}'s parent`);
  }
  assert.deepEqual(
    [sendOrder, payment, sendPayment, shipping].map((span) => span.kind),
    [SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.PRODUCER, SpanKind.CONSUMER],
  );
  assert.equal(
    payment.attributes['messaging.consumer.group.name'],
    `${shop.config.topicPrefix}${paymentActor.groupId}`,
  );
  assert.equal(payment.attributes['messaging.system'], 'kafka');

  const created = shop.on('order_created').find((entry) => entry.key === 'traced-1')!;
  const sentParent = `00-${traceId}-${sendOrder.spanContext().spanId}-01`;
  assert.equal(created.message.headers?.traceparent?.toString(), sentParent);
  assert.equal((created.event as unknown as { traceparent: string }).traceparent, sentParent);
});
