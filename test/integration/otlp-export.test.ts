// The SDK-on path as users run it: the order service, payment and shipping as their own processes with
// OTEL_EXPORTER_OTLP_ENDPOINT set, exporting with the real OTLP/HTTP exporter (JSON) to a receiver in this test;
// the spans of one order arrive from the three services with one trace id, each under a span of the same trace.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnService, type ServiceName } from '../faults/service-process.js';
import { freePort, postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

/** A span as an OTLP/HTTP JSON export request carries it, with the service.name of its resource. */
interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

interface ExportRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ReceivedSpan, 'service'>[] }[];
  }[];
}

/** An OTLP/HTTP receiver of JSON trace exports on a free loopback port: what a collector's otlphttp receiver does. */
async function startReceiver(t: { after: (fn: () => Promise<void>) => void }) {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest;
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue;
        for (const { spans: batch } of scopeSpans) for (const span of batch) spans.push({ ...span, service: service! });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.close();
    await once(server, 'close');
  });
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, spans, paths };
}

test('services exporting OTLP/HTTP send the spans of one order with one trace id, parent by parent', async (t) => {
  const shop = await createShop(t);
  const receiver = await startReceiver(t);
  const logDir = await mkdtemp(join(tmpdir(), 'webshop-otlp-'));
  t.after(() => rm(logDir, { recursive: true, force: true }));
  const env = {
    KAFKA_BROKERS: shop.config.kafkaBrokers,
    TOPIC_PREFIX: shop.config.topicPrefix,
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  };
  const services = await Promise.all(
    (['order', 'payment', 'shipping'] as ServiceName[]).map(async (service) =>
      spawnService({ service, label: service, port: await freePort(), env, logDir }),
    ),
  );
  t.after(async () => {
    await Promise.all(services.map((service) => service.terminate()));
  });
  await Promise.all(services.map((service) => service.ready(60000)));

  const traceId = '5b8efff798038103d269b633813fc60c';
  const incoming = 'eee19b7ec3c1b174';
  const url = `http://127.0.0.1:${services[0]!.spec.port}`;
  const answer = await postOrder(
    url,
    { OrderId: 'otlp-1', Amount: 20 },
    { traceparent: `00-${traceId}-${incoming}-01` },
  );
  assert.equal(answer.status, 201);

  const [created, completed] = (['order_created', 'payment_completed'] as const).map((name) => shop.topic(name));
  const expected = [
    ['order', 'POST /order'],
    ['order', `send ${created}`],
    ['payment', `process ${created}`],
    ['payment', `send ${completed}`],
    ['shipping', `process ${completed}`],
  ];
  const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
  await waitFor(
    'the spans of the order from the three services at the receiver',
    () => expected.every(([service, name]) => ofTrace().some((span) => span.service === service && span.name === name)),
    30000,
  );
  assert.ok(
    receiver.paths.every((path) => path === 'POST /v1/traces application/json'),
    receiver.paths.join('; '),
  );
  const spans = ofTrace();
  const ids = new Set(spans.map((span) => span.spanId));
  const byName = (name: string) => spans.find((span) => span.name === name)!;
  assert.equal(byName('POST /order').parentSpanId, incoming, 'the HTTP span continues the request traceparent');
  for (const span of spans.filter((found) => found.name !== 'POST /order')) {
    assert.ok(ids.has(span.parentSpanId!), `${span.service} ${span.name} is under a span of the same trace`);
  }
  for (const [index, [, name]] of expected.entries()) {
    if (index === 0) continue;
    assert.equal(byName(name!).parentSpanId, byName(expected[index - 1]![1]!).spanId, `${name}'s parent`);
  }
});
