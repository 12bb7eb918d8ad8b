// The order service's HTTP metrics: a Koa middleware that times every request and counts it by method, matched
// route pattern and status, and the GET /metrics handler that serves the process's registry.
import type { Context, Middleware } from 'koa';
import type { Metrics } from '../metrics.js';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Outermost middleware: records each request once its answer is final, errors included. The route label is the
 * router's pattern (`/order`), or `unmatched`: never the raw path, which a client chooses.
 * @example app.use(httpMetrics(metrics)); // before the error middleware
 */
export function httpMetrics(metrics: Metrics): Middleware {
  // Taken now, so the order service's metrics are exposed (at 0) from its first scrape.
  const { order } = metrics;
  return async (ctx: Context, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';
      const method = knownMethods.has(ctx.method) ? ctx.method : 'OTHER';
      order.request(method, route, ctx.status, (performance.now() - started) / 1000);
    }
  };
}

/** GET /metrics: the registry in the Prometheus text format. */
export function metricsRoute(metrics: Metrics): Middleware {
  return async (ctx: Context) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
