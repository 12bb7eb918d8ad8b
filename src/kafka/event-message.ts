// CloudEvent to Kafka message: the key is the orderId (one partition per order), the value the event in
// CloudEvents structured JSON mode, with the content-type header that says so and its trace context as headers.
import { cloudEventContentType, encodeEvent, type CloudEvent } from '../contracts/envelope.js';
import type { OutgoingMessage } from '../contracts/message.js';

/**
 * The Kafka message of a CloudEvent: key = orderId (one partition per order), structured JSON mode; the event's
 * `traceparent` / `tracestate` (distributed-tracing extension) are also written as headers of those names.
 */
export function eventMessage(topic: string, event: CloudEvent): OutgoingMessage {
  const headers: OutgoingMessage['headers'] = { 'content-type': cloudEventContentType };
  if (event.traceparent !== undefined) headers.traceparent = String(event.traceparent);
  if (event.tracestate !== undefined) headers.tracestate = String(event.tracestate);
  return { topic, key: event.subject, value: encodeEvent(event), headers };
}
