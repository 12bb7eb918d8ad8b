// The spans of Kafka messages after the OpenTelemetry messaging conventions: a producer `send` span per published
// event, a consumer `process` span per handled message, and the trace context a consumed message carries.
import { SpanKind, type Attributes, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from '@opentelemetry/semantic-conventions/incubating';
import { headerText, type ConsumedMessage } from '../contracts/message.js';
import { startSpan, traceContextOf } from '../tracing.js';

/** Where a consumed message was read, and by which group. */
export interface ConsumedFrom {
  topic: string;
  partition: number;
  groupId: string;
}

/**
 * The trace context a consumed message was created in: the event's `traceparent` / `tracestate` attributes
 * (CloudEvents distributed tracing) when it has them, else the message's headers of those names.
 */
export function messageTraceContext(
  message: Pick<ConsumedMessage, 'headers'>,
  event?: { traceparent?: unknown; tracestate?: unknown },
): Context {
  if (typeof event?.traceparent === 'string') return traceContextOf(event);
  return traceContextOf({
    traceparent: headerText(message, 'traceparent'),
    tracestate: headerText(message, 'tracestate'),
  });
}

/**
 * The producer span of one event sent to `topic`, child of `parent`: its trace context is the one the event carries.
 * @example const span = sendSpan(parent, 'order_created', event.id, event.subject);
 */
export function sendSpan(parent: Context, topic: string, messageId: string, key: string): Span {
  return startSpan(`send ${topic}`, SpanKind.PRODUCER, parent, {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_OPERATION_NAME]: 'send',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_SEND,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_MESSAGE_ID]: messageId,
    [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: key,
  });
}

/** The consumer span of processing one message, child of the context the message carries. */
export function processSpan(
  parent: Context,
  from: ConsumedFrom,
  message: Pick<ConsumedMessage, 'offset' | 'key'>,
  messageId?: string,
): Span {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    [ATTR_MESSAGING_DESTINATION_NAME]: from.topic,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(from.partition),
    [ATTR_MESSAGING_KAFKA_OFFSET]: Number(message.offset),
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: from.groupId,
  };
  if (message.key !== null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = message.key.toString();
  if (messageId !== undefined) attributes[ATTR_MESSAGING_MESSAGE_ID] = messageId;
  return startSpan(`process ${from.topic}`, SpanKind.CONSUMER, parent, attributes);
}
