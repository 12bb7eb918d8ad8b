// Unit tests of src/order/openapi.ts and routes.ts: the OpenAPI document is valid for the official parser, names
// every route the router serves, and every example in it matches its schema and is judged as the service judges it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { orderRouter } from '../../src/order/app.js';
import { createStatusTable } from '../../src/order/status-table.js';
import { openApiDocument, openApiPath } from '../../src/order/openapi.js';
import { parseOrderRequest } from '../../src/order/order-request.js';
import { orderRoutes } from '../../src/order/routes.js';
import { documentSchemas, errorsOf } from '../document-schemas.js';
import { recordingLogger } from '../helpers.js';

interface MediaType {
  schema: unknown;
  examples: Record<string, { value: unknown }>;
}
interface Operation {
  parameters: { schema?: unknown; example?: unknown; name?: string }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content: Record<string, MediaType> }>;
}

const document = openApiDocument();
const compile = documentSchemas(document, '2020-12');
const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(
  ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
);

function assertExamples(media: MediaType, where: string): void {
  const validate = compile(media.schema);
  assert.ok(Object.keys(media.examples).length > 0, `${where} has no example`);
  for (const [name, { value }] of Object.entries(media.examples)) {
    assert.ok(validate(value), `example ${name} of ${where} does not match its schema: ${errorsOf(validate)}`);
  }
}

test('the OpenAPI document is valid OpenAPI 3.1 for @readme/openapi-parser, without warnings', async () => {
  const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
  assert.deepEqual(result, { valid: true, warnings: [], specification: 'OpenAPI' });
  assert.equal(document.openapi, '3.1.0');
});

test('every request, response and parameter example of the OpenAPI document matches its schema', () => {
  for (const { at, operation } of operations) {
    for (const parameter of operation.parameters.filter((p) => p.schema !== undefined)) {
      const validate = compile(parameter.schema);
      assert.ok(validate(parameter.example), `the example of ${parameter.name} in ${at}: ${errorsOf(validate)}`);
    }
    const request = operation.requestBody?.content['application/json'];
    if (request !== undefined) assertExamples(request, `the request of ${at}`);
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(response.content))
        assertExamples(media, `the ${status} ${type} of ${at}`);
    }
  }
});

test('a documented answer that breaks its schema is caught', () => {
  const validate = compile({ $ref: '#/components/schemas/ErrorBody' });
  assert.equal(validate({ status: 'error', message: 'Invalid order', errors: [{ field: 'Amount' }] }), false);
});

test('every request example of POST /order is an order the service accepts', () => {
  const route = orderRoutes.find((entry) => entry.operationId === 'placeOrder')!;
  for (const [name, body] of Object.entries(route.requestBody!.examples)) {
    assert.doesNotThrow(() => parseOrderRequest(body), `request example ${name}`);
  }
});

test('the route table and the router of the order service name the same routes', () => {
  const { log } = recordingLogger();
  const status = { table: createStatusTable(10), loaded: () => true, producedRecently: () => false };
  const router = orderRouter({ publish: () => Promise.resolve(), ready: () => true, ackTimeoutMs: 1, log, status });
  const served = router.stack.flatMap((layer) =>
    layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path)}`),
  );
  const documented = orderRoutes.map((route) => `${route.method.toUpperCase()} ${route.path}`);
  assert.deepEqual(served.sort(), documented.sort());
});

test('Koa path parameters become OpenAPI path templates', () => {
  assert.equal(openApiPath('/orders/:id'), '/orders/{id}');
  assert.equal(openApiPath('/orders'), '/orders');
});

test('a route added to the table with a path parameter becomes a valid templated operation', async () => {
  const withOrder = openApiDocument([
    ...orderRoutes,
    {
      method: 'get',
      path: '/orders/:id',
      operationId: 'orderStatus',
      summary: 'One order',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: 'The order id.',
          schema: { type: 'string' },
          example: '1',
        },
      ],
      responses: { 200: orderRoutes[1]!.responses[200]! },
    },
  ]);
  const result = await validate(structuredClone(withOrder) as unknown as Parameters<typeof validate>[0]);
  assert.equal(result.valid, true, JSON.stringify(result));
  assert.ok((withOrder.paths as Record<string, unknown>)['/orders/{id}']);
});
