// CloudEvent to Kafka message: the key is the orderId (one partition per order), the value the event in
// CloudEvents structured JSON mode, with the content-type header that says so.
import { cloudEventContentType, encodeEvent, type CloudEvent } from '../contracts/envelope.js';
import type { OutgoingMessage } from '../contracts/message.js';

/** The Kafka message of a CloudEvent: key = orderId (one partition per order), structured JSON mode. */
export function eventMessage(topic: string, event: CloudEvent): OutgoingMessage {
  return {
    topic,
    key: event.subject,
    value: encodeEvent(event),
    headers: { 'content-type': cloudEventContentType },
  };
}
