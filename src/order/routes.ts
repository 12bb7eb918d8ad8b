// The route table of the order service: each route's method, path, parameters, request and answers, with the
// schemas app.ts answers by. The OpenAPI document is generated from it; a test checks it against the router.
import type { JsonSchema } from '../contracts/topic-contracts.js';
import {
  errorBodySchema,
  healthBodySchema,
  orderAcceptedBodySchema,
  readinessBodySchema,
  type ErrorBody,
} from './http-schemas.js';
import { orderIdPattern } from '../contracts/order-id.js';
import { orderStatusSchema } from '../contracts/order-status.js';
import { orderRequestSchema } from './order-request.js';
import { statusQueryRules } from './status-routes.js';

/** A schema under components/schemas, by its name. */
export interface NamedSchema {
  name: string;
  schema: JsonSchema;
}

/** One answer of a route: its body's schema (JSON unless `contentType` says otherwise) and named examples of it. */
export interface ResponseContract {
  description: string;
  contentType?: string;
  body: NamedSchema;
  examples: Record<string, unknown>;
}

/** A path or query parameter. */
export interface ParameterContract {
  name: string;
  in: 'path' | 'query';
  description: string;
  required: boolean;
  schema: JsonSchema;
  example: unknown;
}

/** One route: `path` as Koa writes it (`/orders/:id`). */
export interface RouteContract {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  parameters?: ParameterContract[];
  requestBody?: { description: string; body: NamedSchema; examples: Record<string, unknown> };
  responses: Record<number, ResponseContract>;
}

const answer = (description: string, body: NamedSchema, examples: Record<string, unknown>): ResponseContract => ({
  description,
  body,
  examples,
});
const errorBody: NamedSchema = { name: 'ErrorBody', schema: errorBodySchema };
const error = (description: string, examples: Record<string, ErrorBody>): ResponseContract =>
  answer(description, errorBody, examples);
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

const text = (description: string, contentType: string, name: string, example: string): ResponseContract => ({
  description,
  contentType,
  body: { name, schema: { type: 'string' } },
  examples: { [name.charAt(0).toLowerCase() + name.slice(1)]: example },
});
const pageFile = (path: string, operationId: string, summary: string, contentType: string, example: string) => ({
  method: 'get' as const,
  path,
  operationId,
  summary,
  responses: {
    200: text(`${summary}.`, contentType, `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}`, example),
  },
});

const orderStatusBody: NamedSchema = { name: 'OrderStatus', schema: orderStatusSchema as JsonSchema };
const orderStatusExample = {
  orderId: '123',
  amount: 50,
  status: 'shipped',
  correlationId: 'req-7f3a',
  createdAt: '2026-11-26T15:32:18.681Z',
  updatedAt: '2026-11-26T15:32:18.744Z',
  history: [
    {
      type: 'webshop.order.created',
      time: '2026-11-26T15:32:18.681Z',
      topic: 'order_created',
      partition: 3,
      offset: '41',
    },
    {
      type: 'webshop.payment.completed',
      time: '2026-11-26T15:32:18.702Z',
      topic: 'payment_completed',
      partition: 3,
      offset: '17',
    },
    {
      type: 'webshop.order.shipped',
      time: '2026-11-26T15:32:18.744Z',
      topic: 'order_shipped',
      partition: 3,
      offset: '9',
    },
  ],
};
const acceptedStatusSchema = {
  type: 'object',
  required: ['status', 'message', 'orderId'],
  additionalProperties: false,
  properties: { status: { const: 'accepted' }, message: { type: 'string' }, orderId: { type: 'string' } },
};

/** The answers every route may give: no such route, no such method on it, an unexpected failure. */
export const commonResponses: Record<number, ResponseContract> = {
  404: error('No route for this method and path.', { route: { status: 'error', message: 'No route for GET /nope' } }),
  405: error('The path exists, with another method.', { method: { status: 'error', message: 'Method not allowed' } }),
  500: error('An unexpected failure: logged with its stack, never returned.', {
    internal: { status: 'error', message: 'Internal server error' },
  }),
};

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
  {
    method: 'get',
    path: '/orders/:id',
    operationId: 'orderStatus',
    summary: "An order's status record, from the order_status projection (docs/status.md)",
    parameters: [
      {
        name: 'id',
        in: 'path',
        description: 'The order id.',
        required: true,
        schema: { type: 'string', pattern: orderIdPattern },
        example: '123',
      },
      {
        name: 'wait',
        in: 'query',
        description: 'terminal: answer once the order is shipped or customer_notified, or at the timeout.',
        required: false,
        schema: statusQueryRules.wait,
        example: 'terminal',
      },
      {
        name: 'timeout',
        in: 'query',
        description: 'How long `wait=terminal` waits, in ms; then the status so far.',
        required: false,
        schema: statusQueryRules.timeout,
        example: 5000,
      },
    ],
    responses: {
      200: answer('The order as projected so far.', orderStatusBody, { paid: orderStatusExample }),
      202: answer(
        'Not projected yet, but this instance published the order moments ago.',
        { name: 'OrderAcceptedStatus', schema: acceptedStatusSchema },
        { accepted: { status: 'accepted', message: 'Order accepted, not projected yet', orderId: '123' } },
      ),
      400: error('An id that can never be valid, or a bad query parameter (named).', {
        id: {
          status: 'error',
          message: 'Invalid order id',
          errors: [{ field: 'id', message: 'must be 1-64 letters' }],
        },
        query: {
          status: 'error',
          message: 'Invalid query',
          errors: [{ field: 'timeout', message: 'must be <= 30000' }],
        },
      }),
      404: error('No such order.', { unknown: { status: 'error', message: 'Order not found', orderId: '123' } }),
      503: error('The status table is still loading.', {
        loading: { status: 'error', message: 'Order status is still loading; retry shortly' },
      }),
    },
  },
  {
    method: 'get',
    path: '/orders',
    operationId: 'newestOrders',
    summary: 'The newest orders, newest first (by createdAt)',
    parameters: [
      {
        name: 'limit',
        in: 'query',
        description: 'How many orders at most.',
        required: false,
        schema: statusQueryRules.limit,
        example: 50,
      },
    ],
    responses: {
      200: answer(
        'The newest orders.',
        {
          name: 'OrderList',
          schema: {
            type: 'object',
            required: ['orders'],
            properties: { orders: { type: 'array', items: { $ref: '#/components/schemas/OrderStatus' } } },
          },
        },
        { orders: { orders: [orderStatusExample] } },
      ),
      400: error('A bad `limit`.', {
        query: { status: 'error', message: 'Invalid query', errors: [{ field: 'limit', message: 'must be <= 500' }] },
      }),
      503: error('The status table is still loading.', {
        loading: { status: 'error', message: 'Order status is still loading; retry shortly' },
      }),
    },
  },
  pageFile(
    '/',
    'livePage',
    'The live page: place orders, watch them move (docs/status.md)',
    'text/html',
    '<!doctype html>',
  ),
  pageFile('/page/app.js', 'livePageScript', "The live page's script", 'text/javascript', '// The live page'),
  pageFile('/page/style.css', 'livePageStyle', "The live page's style sheet", 'text/css', ':root {}'),
  {
    method: 'get',
    path: '/events',
    operationId: 'liveEvents',
    summary: 'Server-Sent Events of the order_status projection, for the live page (docs/status.md)',
    description:
      'First `snapshot` ({ orders: the 50 newest OrderStatus records, deadLetters: the records on dead_letter }), ' +
      'then `order` (an OrderStatus record) per change and `dead-letters` ({ count }); a comment every 15 s. ' +
      'A client that stops reading is cut off past 256 KiB unsent; EventSource reconnects.',
    responses: {
      200: text(
        'An endless text/event-stream.',
        'text/event-stream',
        'EventStream',
        'retry: 2000\n\nevent: snapshot\ndata: {"orders":[],"deadLetters":0}\n\nevent: dead-letters\ndata: {"count":1}\n\n',
      ),
    },
  },
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
