// One order is one trace across the services on the real broker: with the SDK's in-memory exporter registered, the
// HTTP, producer and process spans of the order, payment and shipping (or notification and the status projection,
// for a failed payment) share the incoming trace id, parent by parent; a dead letter keeps its message's context.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { createProducer } from '../../src/kafka/client.js';
import { produce } from '../../src/kafka/produce.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const incomingSpanId = '00f067aa0ba902b7';

/** Records every span of this process in memory for the test, and takes the provider down after it. */
function recordSpans(t: TestContext): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  t.after(async () => {
    trace.disable();
    await provider.shutdown();
  });
  return exporter;
}

test('an order placed with a traceparent is one trace from the HTTP request to the shipment', async (t) => {
  const exporter = recordSpans(t);
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

test('a failed payment is one trace through notification and status, and a dead letter keeps its trace context', async (t) => {
  const exporter = recordSpans(t);
  const shop = await createShop(t);
  for (const actor of [paymentActor, notificationActor, statusActor]) await shop.startActor(actor);
  const { url } = await shop.startOrderService();
  const failedTrace = '0af7651916cd43dd8448eb211c80319c';
  const answer = await postOrder(
    url,
    { OrderId: 'traced-2', Amount: 500 },
    {
      traceparent: `00-${failedTrace}-${incomingSpanId}-01`,
    },
  );
  assert.equal(answer.status, 201);

  const group = (actor: string) => `${shop.config.topicPrefix}${actor}`;
  /** The finished span of the trace named `name` (of the consumer group of `actor`, for a process span). */
  const span = (traceId: string, name: string, actor?: string): ReadableSpan | undefined =>
    exporter
      .getFinishedSpans()
      .find(
        (found) =>
          found.spanContext().traceId === traceId &&
          found.name === name &&
          (actor === undefined || found.attributes['messaging.consumer.group.name'] === group(actor)),
      );
  const [created, failed, sent] = (['order_created', 'payment_failed', 'notification_sent'] as const).map((name) =>
    shop.topic(name),
  );
  // Each span with the span it must be the child of.
  const chain: [name: string, actor: string | undefined, parent: string, parentActor: string | undefined][] = [
    [`send ${created}`, undefined, 'POST /order', undefined],
    [`process ${created}`, 'payment', `send ${created}`, undefined],
    [`send ${failed}`, undefined, `process ${created}`, 'payment'],
    [`process ${failed}`, 'notification', `send ${failed}`, undefined],
    [`send ${sent}`, undefined, `process ${failed}`, 'notification'],
    [`process ${created}`, 'status', `send ${created}`, undefined],
    [`process ${failed}`, 'status', `send ${failed}`, undefined],
    [`process ${sent}`, 'status', `send ${sent}`, undefined],
  ];
  await waitFor(
    'the spans of the order, the failed payment, the notification and the status projection',
    () => chain.every(([name, actor]) => span(failedTrace, name, actor)),
    30000,
  );
  for (const [name, actor, parent, parentActor] of chain) {
    const child = span(failedTrace, name, actor)!;
    const expected = span(failedTrace, parent, parentActor)!;
    assert.equal(child.parentSpanContext?.spanId, expected.spanContext().spanId, `${name} (${actor}) under ${parent}`);
  }
  const statusSends = exporter
    .getFinishedSpans()
    .filter(
      (found) => found.spanContext().traceId === failedTrace && found.name === `send ${shop.topic('order_status')}`,
    );
  assert.ok(statusSends.length >= 3, 'status publishes the order status in the same trace');
  const statusProcesses = new Set(
    chain
      .filter(([, actor]) => actor === 'status')
      .map(([name]) => span(failedTrace, name, 'status')!.spanContext().spanId),
  );
  for (const send of statusSends)
    assert.ok(statusProcesses.has(send.parentSpanContext!.spanId), 'under a status process span');

  // A message that is not JSON, with a trace context in its headers: dead-lettered with it, under a span of it.
  const poisonTrace = 'a3ce929d0e0e47364bf92f3577b34da6';
  const poisonParent = `00-${poisonTrace}-${incomingSpanId}-01`;
  const producer = createProducer(shop.config, shop.log, 'poison-writer');
  await producer.connect();
  t.after(() => producer.disconnect());
  await produce(producer, [
    { topic: created!, key: 'traced-poison', value: Buffer.from('{not json'), headers: { traceparent: poisonParent } },
  ]);
  await waitFor('the dead letter of the poison message', () =>
    shop.on('dead_letter').some((entry) => entry.key === 'traced-poison'),
  );
  const letter = shop.on('dead_letter').find((entry) => entry.key === 'traced-poison')!;
  assert.equal(letter.message.headers?.traceparent?.toString(), poisonParent);
  await waitFor('the process span of the poison message', () => span(poisonTrace, `process ${created}`, 'payment'));
  assert.equal(span(poisonTrace, `process ${created}`, 'payment')!.parentSpanContext?.spanId, incomingSpanId);
});
