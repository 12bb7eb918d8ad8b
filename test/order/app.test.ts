// Unit tests of src/order/app.ts over real HTTP on 127.0.0.1, with a fake publish in place of the
// producer: what a client sees for good, bad and unlucky orders, and which events were published.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import { asyncApiDocument } from '../../src/contracts/asyncapi.js';
import type { CloudEvent } from '../../src/contracts/envelope.js';
import { createMetrics } from '../../src/metrics.js';
import { createOrderApp, type OrderAppDeps } from '../../src/order/app.js';
import { openApiDocument } from '../../src/order/openapi.js';
import { documentSchemas, errorsOf } from '../document-schemas.js';
import { postOrder, recordingLogger, waitFor, type LogEntry } from '../helpers.js';
import { promtoolProblems, sampleValue } from '../promtool.js';

type OrderCreatedEvent = CloudEvent<'webshop.order.created'>;

interface RunningApp {
  url: string;
  published: OrderCreatedEvent[];
  logs: LogEntry[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Starts the app on a free port; by default publish records the event and resolves at once. */
async function startApp(t: TestContext, deps: Partial<OrderAppDeps> = {}): Promise<RunningApp> {
  const published: OrderCreatedEvent[] = [];
  const { log, entries: logs } = recordingLogger();
  const app = createOrderApp({
    publish: (event) => {
      published.push(event);
      return Promise.resolve();
    },
    ready: () => true,
    ackTimeoutMs: 5000,
    log,
    ...deps,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, published, logs };
}

test('POST /order answers 201 with the exact success body and publishes order.created', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: 50 });
  assert.equal(response.status, 201);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(response.text, '{"status":"success","message":"Order Created","orderId":"123"}');
  assert.equal(published.length, 1);
  const [event] = published;
  assert.equal(event.type, 'webshop.order.created');
  assert.equal(event.specversion, '1.0');
  assert.equal(event.source, 'webshop/order');
  assert.equal(event.subject, '123');
  assert.deepEqual(event.data, { orderId: '123', amount: 50 });
});

test('POST /order accepts camelCase fields and a JSON content type with a charset', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(
    url,
    { orderId: 'o-2', amount: 19.99 },
    {
      'content-type': 'application/json; charset=utf-8',
    },
  );
  assert.equal(response.status, 201);
  assert.deepEqual(response.body, { status: 'success', message: 'Order Created', orderId: 'o-2' });
  assert.deepEqual(published[0].data, { orderId: 'o-2', amount: 19.99 });
});

test('POST /order without OrderId answers with the generated id that the event carries', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { Amount: 50 });
  assert.equal(response.status, 201);
  const body = response.body as { orderId: string };
  assert.match(body.orderId, uuid);
  assert.equal(published[0].data.orderId, body.orderId);
  assert.equal(published[0].subject, body.orderId);
});

test('POST /order answers only after the broker has acknowledged the event', async (t) => {
  let acknowledge: () => void = () => assert.fail('publish was not called');
  let acknowledged = false;
  const { url, published } = await startApp(t, {
    publish: (event) => {
      published.push(event);
      return new Promise<void>((resolve) => {
        acknowledge = () => {
          acknowledged = true;
          resolve();
        };
      });
    },
  });
  let answered = false;
  const pending = postOrder(url, { OrderId: '123', Amount: 50 }).then((response) => {
    answered = true;
    return response;
  });
  await waitFor('the publish', () => published.length === 1);
  // A full round trip on another connection: an answer sent without waiting would have arrived by now.
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  assert.equal(answered, false, 'answered before the acknowledgement');
  acknowledge();
  const response = await pending;
  assert.equal(acknowledged, true);
  assert.equal(response.status, 201);
  assert.deepEqual(response.body, { status: 'success', message: 'Order Created', orderId: '123' });
});

test('the published event carries the X-Request-Id sent as its correlation id, and the answer echoes it', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: 50 }, { 'X-Request-Id': 'req-abc-1' });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('x-request-id'), 'req-abc-1');
  assert.equal(published[0].correlationid, 'req-abc-1');
});

test('without X-Request-Id the answer returns a generated one and the event carries it', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: 50 });
  const requestId = response.headers.get('x-request-id') ?? '';
  assert.match(requestId, uuid);
  assert.equal(published[0].correlationid, requestId);
});

test('an X-Request-Id with spaces or over 128 characters is replaced by a generated one', async (t) => {
  const { url, published } = await startApp(t);
  for (const sent of ['has spaces', 'x'.repeat(129)]) {
    const response = await postOrder(url, { Amount: 5 }, { 'X-Request-Id': sent });
    assert.equal(response.status, 201);
    assert.match(response.headers.get('x-request-id') ?? '', uuid, sent);
  }
  assert.ok(published.every((event) => uuid.test(event.correlationid)));
});

test('POST /order answers 503 with the order id when the broker rejects the event', async (t) => {
  const { url } = await startApp(t, { publish: () => Promise.reject(new Error('Broker: Not enough replicas')) });
  const response = await postOrder(url, { OrderId: '123', Amount: 50 });
  assert.equal(response.status, 503);
  const { body } = response;
  assert.deepEqual(Object.keys(body).sort(), ['message', 'orderId', 'status']);
  assert.equal(body.status, 'error');
  assert.equal(body.orderId, '123');
  assert.equal(typeof body.message, 'string');
  assert.doesNotMatch(String(body.message), /Not enough replicas/);
});

test('POST /order answers 503 when the broker does not acknowledge within the ack timeout', async (t) => {
  const { url, logs } = await startApp(t, { publish: () => new Promise<void>(() => undefined), ackTimeoutMs: 200 });
  const started = performance.now();
  const response = await postOrder(url, { OrderId: 'slow-1', Amount: 50 });
  const elapsed = performance.now() - started;
  assert.equal(response.status, 503);
  const { body } = response;
  assert.equal(body.status, 'error');
  assert.equal(body.orderId, 'slow-1');
  assert.match(String(body.message), /not confirmed.*retry with the same OrderId/);
  assert.ok(elapsed >= 180, `answered after ${elapsed} ms, before the 200 ms bound`);
  assert.ok(
    logs.some((entry) => entry.level === 'warn' && entry.orderId === 'slow-1'),
    'no warning logged',
  );
});

test('POST /order answers 400 naming the field when Amount is a string, and publishes nothing', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: '50' });
  assert.equal(response.status, 400);
  const body = response.body as { status: string; message: string; errors: { field: string }[] };
  assert.equal(body.status, 'error');
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(body.errors, [{ field: 'Amount', message: 'must be a number' }]);
  assert.equal(published.length, 0);
});

test('POST /order answers 400 listing every bad field by the name the client sent', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { orderid: 'bad id', AMOUNT: 1.001, Coupon: 'FREE' });
  assert.equal(response.status, 400);
  const body = response.body as { errors: { field: string }[] };
  assert.deepEqual(body.errors.map((error) => error.field).sort(), ['AMOUNT', 'Coupon', 'orderid']);
  assert.equal(published.length, 0);
});

test('POST /order answers 400 for an array body', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, [{ Amount: 50 }]);
  assert.equal(response.status, 400);
  assert.deepEqual((response.body as { errors: unknown }).errors, [
    { field: '(body)', message: 'must be a JSON object' },
  ]);
  assert.equal(published.length, 0);
});

test('POST /order answers 400 for malformed JSON, and publishes nothing', async (t) => {
  const { url, published } = await startApp(t);
  for (const text of ['{"Amount": ', 'Amount=50', '42']) {
    const response = await postOrder(url, text);
    assert.equal(response.status, 400, text);
    const body = response.body as { status: string; message: string; errors: { field: string }[] };
    assert.equal(body.status, 'error');
    assert.equal(body.message, 'Request body is not valid JSON');
    assert.equal(body.errors[0].field, '(body)');
  }
  assert.equal(published.length, 0);
});

test('POST /order answers 415 for a text/plain body, and publishes nothing', async (t) => {
  const { url, published } = await startApp(t);
  const response = await fetch(`${url}/order`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{"OrderId":"123","Amount":50}',
  });
  assert.equal(response.status, 415);
  assert.deepEqual(await response.json(), { status: 'error', message: 'Content-Type must be application/json' });
  assert.equal(published.length, 0);
});

test('POST /order answers 413 for a body over 16 KiB, and publishes nothing', async (t) => {
  const { url, published } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: 50, Note: 'x'.repeat(17 * 1024) });
  assert.equal(response.status, 413);
  const body = response.body as { status: string; message: string };
  assert.equal(body.status, 'error');
  assert.match(body.message, /larger than/);
  assert.equal(published.length, 0);
});

test('a body just under 16 KiB is still read and judged on its fields', async (t) => {
  const { url } = await startApp(t);
  const response = await postOrder(url, { OrderId: '123', Amount: 50, Note: 'x'.repeat(15 * 1024) });
  assert.equal(response.status, 400);
  assert.deepEqual(
    (response.body as { errors: { field: string }[] }).errors.map((e) => e.field),
    ['Note'],
  );
});

test('an unknown route answers 404 in the same JSON shape', async (t) => {
  const { url } = await startApp(t);
  const response = await fetch(`${url}/orders/123`);
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { status: 'error', message: 'No route for GET /orders/123' });
});

test('GET /order answers 405 in the same JSON shape', async (t) => {
  const { url } = await startApp(t);
  const response = await fetch(`${url}/order`);
  assert.equal(response.status, 405);
  assert.deepEqual(await response.json(), { status: 'error', message: 'Method not allowed' });
});

test('GET /healthz answers 200', async (t) => {
  const { url } = await startApp(t, { ready: () => false });
  const response = await fetch(`${url}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('GET /readyz answers 200 or 503 as the producer readiness changes', async (t) => {
  let ready = false;
  const { url } = await startApp(t, { ready: () => ready });
  const notReady = await fetch(`${url}/readyz`);
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), { status: 'not ready' });
  ready = true;
  const nowReady = await fetch(`${url}/readyz`);
  assert.equal(nowReady.status, 200);
  assert.deepEqual(await nowReady.json(), { status: 'ready' });
});

test('an unexpected failure answers 500 "Internal server error" without a stack, and logs the error', async (t) => {
  const { url, logs } = await startApp(t, {
    ready: () => {
      throw new TypeError('secret detail of the failure');
    },
  });
  const response = await fetch(`${url}/readyz`);
  assert.equal(response.status, 500);
  const text = await response.text();
  assert.deepEqual(JSON.parse(text), { status: 'error', message: 'Internal server error' });
  assert.doesNotMatch(text, /secret detail|TypeError|\bat .+:\d+/);
  const logged = logs.find((entry) => entry.level === 'error');
  assert.ok(logged, 'the failure was not logged');
  assert.ok(logged.error instanceof TypeError);
});

test('GET /openapi.json answers the generated OpenAPI 3.1 document', async (t) => {
  const { url } = await startApp(t);
  const response = await fetch(`${url}/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await response.json(), openApiDocument());
});

test('GET /asyncapi.json answers the generated AsyncAPI 3.0 document', async (t) => {
  const { url } = await startApp(t);
  const response = await fetch(`${url}/asyncapi.json`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), asyncApiDocument());
});

test('every answer of the order service has the body its OpenAPI entry documents for that status', async (t) => {
  let readiness: 'ready' | 'not ready' | 'failing' = 'ready';
  const { url } = await startApp(t, {
    ready: () => {
      if (readiness === 'failing') throw new Error('unexpected');
      return readiness === 'ready';
    },
    publish: (event) => (event.data.orderId === 'down' ? Promise.reject(new Error('down')) : Promise.resolve()),
  });
  const json = { 'content-type': 'application/json' };
  const order = (body: string, headers: Record<string, string> = json): RequestInit => ({
    method: 'POST',
    headers,
    body,
  });
  // Each answer: the documented route it falls under, the request, the status it must have.
  const answers: [string, string, RequestInit | undefined, number][] = [
    ['post /order', '/order', order('{"OrderId":"a-1","Amount":50}'), 201],
    ['post /order', '/order', order('{"Amount":"50","Coupon":1}'), 400],
    ['post /order', '/order', order('{"Amount": '), 400],
    ['post /order', '/order', order(JSON.stringify({ Amount: 5, Note: 'x'.repeat(17 * 1024) })), 413],
    ['post /order', '/order', order('{"Amount":50}', { 'content-type': 'text/plain' }), 415],
    ['post /order', '/order', order('{"OrderId":"down","Amount":50}'), 503],
    ['post /order', '/order', undefined, 405],
    ['post /order', '/nope', undefined, 404],
    ['get /healthz', '/healthz', undefined, 200],
    ['get /readyz', '/readyz', undefined, 200],
  ];
  const compile = documentSchemas(openApiDocument(), '2020-12');
  const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
  const check = async (route: string, path: string, init: RequestInit | undefined, status: number): Promise<void> => {
    const response = await fetch(`${url}${path}`, init);
    assert.equal(response.status, status, `${route} via ${path}`);
    const [method, documentedPath] = route.split(' ') as [string, string];
    const documented = paths[documentedPath]![method]!.responses[status] as {
      content: Record<string, { schema: unknown }>;
    };
    assert.ok(documented, `${route} does not document ${status}`);
    const validate = compile(documented.content['application/json']!.schema);
    const body: unknown = await response.json();
    assert.ok(validate(body), `the ${status} of ${route} breaks its schema: ${errorsOf(validate)}`);
  };
  for (const answer of answers) await check(...answer);
  readiness = 'not ready';
  await check('get /readyz', '/readyz', undefined, 503);
  readiness = 'failing';
  await check('get /readyz', '/readyz', undefined, 500);
});

test('GET /metrics counts requests by method, route pattern and status, and promtool passes its output', async (t) => {
  const metrics = createMetrics();
  const { url } = await startApp(t, { metrics });
  await postOrder(url, { OrderId: 'm-1', Amount: 50 });
  await postOrder(url, { OrderId: 'm-2', Amount: 'fifty' });
  await fetch(`${url}/no/such/path/m-3`);
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const requests = 'webshop_http_requests_total{method=';
  assert.equal(sampleValue(text, `${requests}"POST",route="/order",status="201"}`), 1);
  assert.equal(sampleValue(text, `${requests}"POST",route="/order",status="400"}`), 1);
  assert.equal(sampleValue(text, `${requests}"GET",route="unmatched",status="404"}`), 1);
  assert.equal(
    sampleValue(text, 'webshop_http_request_duration_seconds_count{method="POST",route="/order",status="201"}'),
    1,
  );
  assert.doesNotMatch(text, /m-[123]/);
  assert.equal(await promtoolProblems(text), '');
});

test('with tracing off POST /order passes the request traceparent and tracestate on to order.created', async (t) => {
  const { url, published } = await startApp(t);
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  await postOrder(url, { OrderId: 't-1', Amount: 5 }, { traceparent, tracestate: 'vendor=value' });
  await postOrder(url, { OrderId: 't-2', Amount: 5 }, { traceparent: '00-zz-00f067aa0ba902b7-01' });
  assert.deepEqual(
    published.map(({ traceparent: parent, tracestate: state }) => ({ parent, state })),
    [
      { parent: traceparent, state: 'vendor=value' },
      { parent: undefined, state: undefined },
    ],
  );
});
