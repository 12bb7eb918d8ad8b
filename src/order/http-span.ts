// The HTTP server span of a route: continues the request's W3C `traceparent` / `tracestate` headers (or starts a
// trace) and leaves its context in `ctx.state.trace` for what the route publishes.
import { SpanKind, trace, type Context as TraceContext } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { Context, Next } from 'koa';
import { endSpan, startSpan, traceContextOf, tracingRecords } from '../tracing.js';

/**
 * Koa middleware: one server span per request to `route`, child of the incoming trace context.
 * @example router.post('/order', httpServerSpan('/order'), ...)
 */
export function httpServerSpan(route: string) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const parent = traceContextOf({ traceparent: ctx.get('traceparent'), tracestate: ctx.get('tracestate') });
    // Without an SDK the span would only carry the parent's context on: pass that on, build nothing.
    if (!tracingRecords()) {
      ctx.state.trace = parent satisfies TraceContext;
      return next();
    }
    const span = startSpan(`${ctx.method} ${route}`, SpanKind.SERVER, parent, {
      [ATTR_HTTP_REQUEST_METHOD]: ctx.method,
      [ATTR_HTTP_ROUTE]: route,
      [ATTR_URL_PATH]: ctx.path,
    });
    ctx.state.trace = trace.setSpan(parent, span) satisfies TraceContext;
    let failure: unknown;
    try {
      await next();
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const status = failure === undefined ? ctx.status : ((failure as { status?: number }).status ?? 500);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      endSpan(span, status >= 500 ? (failure ?? new Error(`HTTP ${status}`)) : undefined);
    }
  };
}
