// The route table of the order service: each route's method, path, parameters, request and answers, with the
// schemas app.ts answers by. The OpenAPI document is generated from it; a test checks it against the router.
import { healthBodySchema, orderAcceptedBodySchema, readinessBodySchema } from './http-schemas.js';
import { orderRequestSchema } from './order-request.js';
import { answer, error, type NamedSchema, type ResponseContract, type RouteContract } from './route-contract.js';
import { pageRouteContracts } from './page-route-contracts.js';
import { statusRouteContracts } from './status-route-contracts.js';

const readinessBody: NamedSchema = { name: 'Readiness', schema: readinessBodySchema };
const document = (name: string, version: string): ResponseContract => ({
  description: `The ${name} document.`,
  body: {
    name: `${name}Document`,
    schema: {
      type: 'object',
      required: [name.toLowerCase()],
      properties: { [name.toLowerCase()]: { const: version } },
    },
  },
  examples: { document: { [name.toLowerCase()]: version } },
});

/** Every route of the order service; a route added to app.ts needs its entry here (a test says so). */
export const orderRoutes: RouteContract[] = [
  {
    method: 'post',
    path: '/order',
    operationId: 'placeOrder',
    summary: 'Place an order',
    description: 'Publishes `webshop.order.created` and answers once the broker has acknowledged it.',
    requestBody: {
      description: 'The order; JSON of at most 16 KiB.',
      body: { name: 'OrderRequest', schema: orderRequestSchema },
      examples: { withId: { OrderId: '123', Amount: 50 }, withoutId: { Amount: 350 } },
    },
    responses: {
      201: answer(
        'The broker acknowledged `webshop.order.created` (idempotent producer, acks=all).',
        { name: 'OrderAccepted', schema: orderAcceptedBodySchema },
        { created: { status: 'success', message: 'Order Created', orderId: '123' } },
      ),
      400: error('Bad JSON, types, ranges, unknown or repeated fields: every bad field listed.', {
        field: {
          status: 'error',
          message: 'Invalid order',
          errors: [{ field: 'Amount', message: 'must be a number' }],
        },
        json: {
          status: 'error',
          message: 'Request body is not valid JSON',
          errors: [{ field: '(body)', message: 'Unexpected end of JSON input' }],
        },
      }),
      413: error('The body is over 16 KiB.', {
        large: { status: 'error', message: 'Request body is larger than 16kb' },
      }),
      415: error('The Content-Type is not JSON.', {
        mediaType: { status: 'error', message: 'Content-Type must be application/json' },
      }),
      503: error('No acknowledgement within ORDER_ACK_TIMEOUT_MS: maybe recorded; retry with the same OrderId.', {
        unconfirmed: {
          status: 'error',
          message: 'Order not confirmed: the event broker did not acknowledge it in time; retry with the same OrderId',
          orderId: '123',
        },
      }),
    },
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    responses: {
      200: answer('Alive.', { name: 'Health', schema: healthBodySchema }, { ok: { status: 'ok' } }),
    },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: the producer is connected and the last delivery succeeded',
    responses: {
      200: answer('Ready to take orders.', readinessBody, { ready: { status: 'ready' } }),
      503: answer('Not ready: POST /order would answer 503.', readinessBody, { notReady: { status: 'not ready' } }),
    },
  },
  ...statusRouteContracts,
  ...pageRouteContracts,
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: "The service's metrics in the Prometheus text format (docs/metrics.md)",
    responses: {
      200: {
        description: 'Every metric of the service, Prometheus text exposition format 0.0.4.',
        contentType: 'text/plain',
        body: { name: 'PrometheusText', schema: { type: 'string' } },
        examples: {
          metrics:
            '# HELP webshop_orders_accepted_total Orders the broker acknowledged.\n' +
            '# TYPE webshop_orders_accepted_total counter\nwebshop_orders_accepted_total 16\n',
        },
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document: the HTTP API as OpenAPI 3.1',
    responses: { 200: document('OpenAPI', '3.1.0') },
  },
  {
    method: 'get',
    path: '/asyncapi.json',
    operationId: 'asyncApiDocument',
    summary: 'The topics and their messages as AsyncAPI 3.0',
    responses: { 200: document('AsyncAPI', '3.0.0') },
  },
];
