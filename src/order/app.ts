// The OrderService's HTTP app (Koa): POST /order publishes `order.created` and answers only after the
// broker's acknowledgement, GET /orders[/:id] read the status table, GET / is the live page fed by GET /events;
// one error middleware for every failure.
import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { asyncApiDocument } from '../contracts/asyncapi.js';
import { createEvent, type CloudEvent } from '../contracts/envelope.js';
import { HttpError, describeError } from '../errors.js';
import type { DeadLetterCount } from './dead-letter-count.js';
import { eventsRoute } from './events-route.js';
import type { Logger } from '../logger.js';
import { sharedMetrics, type Metrics } from '../metrics.js';
import { withTimeout } from '../timeout.js';
import { traceCarrierOf } from '../tracing.js';
import { httpMetrics, metricsRoute } from './http-metrics.js';
import { httpServerSpan } from './http-span.js';
import { requestIdPattern, type ErrorBody, type OrderAcceptedBody } from './http-schemas.js';
import { openApiDocument } from './openapi.js';
import { parseOrderRequest } from './order-request.js';
import { pageRoutes } from './page-routes.js';
import { statusRoutes, type StatusApiDeps } from './status-routes.js';

export interface OrderAppDeps {
  /** Resolves when the broker has acknowledged the event; rejects otherwise. */
  publish(event: CloudEvent<'webshop.order.created'>): Promise<void>;
  /** True when the producer is connected and the broker answers. */
  ready(): boolean;
  ackTimeoutMs: number;
  log: Logger;
  /** What GET /metrics serves and the requests are counted in; the process's shared registry unless given. */
  metrics?: Metrics;
  /** The order-status API (GET /orders/:id, GET /orders) and the live page (GET /, GET /events); absent: none. */
  status?: StatusApiDeps & { deadLetters?: DeadLetterCount };
  /** Told of each order the broker acknowledged. */
  created?(orderId: string): void;
}

const requestId = new RegExp(requestIdPattern);
const bodyLimit = '16kb';

async function errorBody(ctx: Context, next: Next, log: Logger): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      throw new HttpError(404, 'NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
    }
  } catch (error) {
    const http = error instanceof HttpError ? error : undefined;
    const status = http?.status ?? 500;
    if (!http?.expose) log.error('request failed', { method: ctx.method, path: ctx.path, error });
    ctx.status = status;
    const body: ErrorBody = {
      status: 'error',
      message: http?.expose ? http.message : 'Internal server error',
      ...(http?.orderId === undefined ? {} : { orderId: http.orderId }),
      ...(http?.errors === undefined ? {} : { errors: http.errors }),
    };
    ctx.body = body;
  }
}

function bodyParseError(error: Error & { status?: number; type?: string }): HttpError {
  if (error.status === 413 || error.type === 'entity.too.large') {
    return new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${bodyLimit}`);
  }
  return new HttpError(400, 'ORDER_INVALID', 'Request body is not valid JSON', {
    errors: [{ field: '(body)', message: error.message }],
  });
}

/**
 * The routes of the OrderService; each has its entry in routes.ts, from which the OpenAPI document is made.
 * @example orderRouter(deps).stack.map((layer) => layer.path) // ['/healthz', '/readyz', ..]
 */
export function orderRouter(deps: OrderAppDeps): Router {
  const { log } = deps;
  const router = new Router();
  const openApi = openApiDocument();
  const asyncApi = asyncApiDocument();
  const metrics = deps.metrics ?? sharedMetrics();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', (ctx) => {
    const ready = deps.ready();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready' };
  });
  router.get('/metrics', metricsRoute(metrics));
  router.post(
    '/order',
    httpServerSpan('/order'),
    async (ctx, next) => {
      if (!ctx.is('application/json')) {
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      }
      await next();
    },
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: bodyLimit,
      onError: (error) => {
        throw bodyParseError(error);
      },
    }),
    async (ctx) => {
      const order = parseOrderRequest(ctx.request.body);
      const correlationId = ctx.state.requestId as string;
      const trace = traceCarrierOf(ctx.state.trace);
      const event = createEvent('webshop.order.created', order, { source: 'webshop/order', correlationId, trace });
      try {
        await withTimeout(deps.publish(event), deps.ackTimeoutMs, () => {
          throw new Error(`no acknowledgement within ${deps.ackTimeoutMs} ms`);
        });
      } catch (error) {
        log.warn('order not acknowledged', { orderId: order.orderId, correlationId, error: describeError(error) });
        throw new HttpError(
          503,
          'KAFKA_UNAVAILABLE',
          'Order not confirmed: the event broker did not acknowledge it in time; retry with the same OrderId',
          {
            expose: true,
            retriable: true,
            orderId: order.orderId,
            cause: error,
          },
        );
      }
      deps.created?.(order.orderId);
      log.info('order created', { orderId: order.orderId, amount: order.amount, correlationId, eventId: event.id });
      ctx.status = 201;
      const body: OrderAcceptedBody = { status: 'success', message: 'Order Created', orderId: order.orderId };
      ctx.body = body;
    },
  );
  router.get('/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  router.get('/asyncapi.json', (ctx) => {
    ctx.body = asyncApi;
  });
  if (deps.status) {
    statusRoutes(router, deps.status);
    eventsRoute(router, deps.status);
    pageRoutes(router);
  }
  return router;
}

/**
 * The Koa app of the OrderService, with its dependencies injected so tests need no broker.
 * @example createOrderApp({ publish, ready: () => true, ackTimeoutMs: 5000, log }).listen(5001)
 */
export function createOrderApp(deps: OrderAppDeps): Koa {
  const { log } = deps;
  const app = new Koa();
  const router = orderRouter(deps);

  app.use(httpMetrics(deps.metrics ?? sharedMetrics()));
  app.use((ctx, next) => errorBody(ctx, next, log));
  app.use(async (ctx, next) => {
    const sent = ctx.get('X-Request-Id');
    ctx.state.requestId = requestId.test(sent) ? sent : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId as string);
    await next();
  });
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed'),
      notImplemented: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed'),
    }),
  );
  return app;
}
