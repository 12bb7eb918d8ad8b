// The trace of one message an actor handles: a process span, child of the context the message carries, and a
// producer span per output whose context the output carries; all end when the batch's transaction has ended.
import { ROOT_CONTEXT, trace, type Span } from '@opentelemetry/api';
import type { ReceivedEvent } from '../contracts/envelope.js';
import type { ConsumedMessage } from '../contracts/message.js';
import { messageTraceContext, processSpan, sendSpan, type ConsumedFrom } from '../kafka/message-spans.js';
import { endSpan, traceCarrierOf, tracingRecords, type TraceCarrier } from '../tracing.js';

/** The spans of one handled message. */
export interface MessageTrace {
  /** False without an SDK: nothing is recorded, and `end` has nothing to do. */
  readonly recording: boolean;
  /** Starts the process span; `event`, when the message decoded, gives its trace context and id. */
  begin(event?: ReceivedEvent): void;
  /** The trace context of an output event to `topic`: a new producer span's, child of the process span. */
  output(topic: string, messageId: string, key: string): TraceCarrier;
  /** Ends the producer spans and the process span; with `error`, marked as failed. */
  end(error?: unknown): void;
}

/**
 * Without an SDK every span would be a non-recording one carrying the message's own context: each output
 * carries that context, read once, and nothing is built per span.
 */
function passedOnTrace(message: ConsumedMessage): MessageTrace {
  let carrier: TraceCarrier | undefined;
  let received: ReceivedEvent | undefined;
  return {
    recording: false,
    begin(event) {
      received ??= event;
    },
    output() {
      carrier ??= traceCarrierOf(messageTraceContext(message, received));
      return carrier;
    },
    end: () => undefined,
  };
}

/**
 * The trace of `message`, read from `from` by its group; the process span starts at `begin` (or at `end`, for a
 * message that never decoded: its parent then comes from the headers).
 * @example const spans = messageTrace(message, { topic, partition, groupId }); spans.begin(event); ...; spans.end();
 */
export function messageTrace(message: ConsumedMessage, from: ConsumedFrom): MessageTrace {
  if (!tracingRecords()) return passedOnTrace(message);
  let processing: Span | undefined;
  const sends: Span[] = [];
  const begin = (event?: ReceivedEvent): Span => {
    processing ??= processSpan(messageTraceContext(message, event), from, message, event?.id);
    return processing;
  };
  return {
    recording: true,
    begin,
    output(topic, messageId, key) {
      const span = sendSpan(trace.setSpan(ROOT_CONTEXT, begin()), topic, messageId, key);
      sends.push(span);
      return traceCarrierOf(span);
    },
    end(error) {
      for (const span of sends) endSpan(span, error);
      endSpan(begin(), error);
    },
  };
}

/** Ends every trace of a batch, once its transaction committed (no error) or failed. */
export function endTraces(traces: readonly MessageTrace[], error?: unknown): void {
  for (const spans of traces) spans.end(error);
}
