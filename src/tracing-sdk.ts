// The OpenTelemetry SDK of a process that records spans: a tracer provider with a batching span processor and
// an OTLP/HTTP exporter, or one that drops the spans in process. Loaded by startTracing only when tracing is on.
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Where the spans go: an OTLP/HTTP endpoint's traces URL, or nowhere (the SDK's whole cost, no network). */
export type SpanDestination = { kind: 'otlp'; url: string } | { kind: 'discard' };

/** An exporter that accepts every batch and drops it. */
export const discardingExporter: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => undefined,
};

/**
 * Registers the SDK as the global tracer provider of `serviceName`, exporting to `destination`.
 * @example const provider = registerTracerProvider('payment', { kind: 'otlp', url: 'http://jaeger:4318/v1/traces' });
 */
export function registerTracerProvider(serviceName: string, destination: SpanDestination): NodeTracerProvider {
  const exporter =
    destination.kind === 'discard' ? discardingExporter : new OTLPTraceExporter({ url: destination.url });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return provider;
}
