// Traces (OpenTelemetry): the W3C trace context read from and written to any carrier, the shop's spans, and the
// SDK with its OTLP/HTTP exporter (tracing-sdk.ts), loaded and started only when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (or, with OTEL_TRACES_EXPORTER=discard, with an exporter that drops the spans in process).
import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Config } from './config.js';

/** A W3C trace context as the `traceparent` / `tracestate` pair of a header set or a CloudEvent. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const tracerName = 'kafka-webshop';
// Used directly, not through the API's global propagator: that one is a no-op until an SDK registers one, and
// the context must travel whether or not this process records spans.
const propagator = new W3CTraceContextPropagator();

/**
 * The trace context of a carrier: a remote parent when its `traceparent` is valid W3C, else the root context.
 * @example traceContextOf({ traceparent: ctx.get('traceparent'), tracestate: ctx.get('tracestate') })
 */
export function traceContextOf(carrier: { traceparent?: unknown; tracestate?: unknown }): Context {
  const text: Record<string, string> = {};
  if (typeof carrier.traceparent === 'string') text.traceparent = carrier.traceparent;
  if (typeof carrier.tracestate === 'string') text.tracestate = carrier.tracestate;
  return propagator.extract(ROOT_CONTEXT, text, defaultTextMapGetter);
}

/** The `traceparent` / `tracestate` of a span (or of a context's span); empty when it has no valid trace. */
export function traceCarrierOf(spanOrContext: Span | Context): TraceCarrier {
  const context = 'spanContext' in spanOrContext ? trace.setSpan(ROOT_CONTEXT, spanOrContext) : spanOrContext;
  const carrier: TraceCarrier = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

// What the global provider delegates to until an SDK registers: the API's no-op provider.
const noopProvider = new ProxyTracerProvider().getDelegate();

/**
 * True when an SDK is registered and spans may be recorded. Without one, a span is the API's non-recording span
 * carrying its parent's trace context, so a caller can skip building it and pass the parent's context on.
 */
export function tracingRecords(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== noopProvider;
}

/**
 * Starts a span of the shop's tracer, child of `parent`. Without a registered SDK it is the API's non-recording
 * span that carries the parent's own trace context, so what is passed on is the incoming `traceparent`.
 */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes: Attributes): Span {
  return trace.getTracer(tracerName).startSpan(name, { kind, attributes }, parent);
}

/** Ends a span; with `error`, marked as failed first. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** The tracing of a process: what it exports to, and how to flush it at the end. */
export interface Tracing {
  enabled: boolean;
  stop(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK with an OTLP/HTTP exporter to `OTEL_EXPORTER_OTLP_ENDPOINT`/v1/traces when set
 * (`OTEL_TRACES_EXPORTER=otlp`, the default), or with the discarding exporter (`discard`); otherwise (no endpoint,
 * or `none`) registers nothing, and spans cost nothing beyond passing the trace context on.
 * @example const tracing = await startTracing(config, 'payment'); ...; await tracing.stop();
 */
export async function startTracing(config: Config, service: string): Promise<Tracing> {
  const endpoint = config.otelExporterOtlpEndpoint.replace(/\/$/, '');
  const destination =
    config.otelTracesExporter === 'discard'
      ? ({ kind: 'discard' } as const)
      : config.otelTracesExporter === 'otlp' && endpoint !== ''
        ? ({ kind: 'otlp', url: `${endpoint}/v1/traces` } as const)
        : undefined;
  if (destination === undefined) return { enabled: false, stop: async () => undefined };
  // Loaded here, not imported above: a process without tracing does not load the SDK and its exporter (a
  // tenth of its start-up's CPU time).
  const { registerTracerProvider } = await import('./tracing-sdk.js');
  const provider = registerTracerProvider(config.otelServiceName || service, destination);
  return { enabled: true, stop: () => provider.shutdown() };
}
