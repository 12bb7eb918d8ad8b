// The pieces of the AsyncAPI document's messages: the JSON Schema and contract types, the schemas messages share,
// and an event type as a message (its CloudEvents envelope, data schema, key, and an example event).
import { cloudEventSchema } from './cloud-event-format.js';
import type { OrderStatus } from './order-status.js';
import { replayHeaders } from './dead-letter.js';
import { cloudEventContentType, type CloudEvent } from './envelope.js';
import { dataSchema, eventTypes, orderIdPattern, type EventData, type EventType } from './events.js';

/** A JSON Schema as the documents carry it. */
export type JsonSchema = Record<string, unknown> | boolean;

/** One kind of message on a topic: the schemas of its key, headers and value, and one example of each. */
export interface MessageContract {
  /** Its id under components/messages. */
  name: string;
  title: string;
  summary: string;
  contentType: string;
  key: JsonSchema;
  headers: JsonSchema;
  payload: JsonSchema;
  example: { key: string | null; headers: Record<string, string>; payload: unknown };
}

/** A topic: what it is for, its messages, and the services that write and read it. */
export interface TopicContract {
  description: string;
  messages: MessageContract[];
  producers: string[];
  consumers: string[];
}

/** Schemas that several messages share, under components/schemas: one per event's data, and the envelope. */
export const sharedSchemas: Record<string, JsonSchema> = {
  CloudEvent: cloudEventSchema,
  ...Object.fromEntries(eventTypes.map((type) => [`${type}.data`, dataSchema(type)])),
};
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const orderIdKey = {
  type: 'string',
  pattern: orderIdPattern,
  description: 'The order id: every event of one order goes to one partition, in order.',
};

/** The headers `make dlq-replay` adds to a message it re-publishes. */
export const replayHeaderSchemas = {
  [replayHeaders.replayOf]: { type: 'string', description: 'Set by `make dlq-replay`: the dead letter replayed.' },
  [replayHeaders.replayedAt]: { type: 'string', format: 'date-time', description: 'Set by `make dlq-replay`.' },
};

/** An order's status record, as the examples of both contracts show it. */
export const orderStatusExample: OrderStatus = {
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

/** What the example of each event type carries as its data. */
const exampleData: { [T in EventType]: EventData[T] } = {
  'webshop.order.created': { orderId: '123', amount: 50 },
  'webshop.payment.completed': { orderId: '123', amount: 50, paymentId: 'pay-5b0e' },
  'webshop.payment.failed': {
    orderId: 'fail-123',
    amount: 350,
    reason: 'insufficient_funds',
    message: 'Payment failed due to insufficient funds',
  },
  'webshop.order.shipped': { orderId: '123', shipmentId: 'ship-7c1d' },
  'webshop.notification.sent': { orderId: 'fail-123', channel: 'email', message: 'Your payment failed: 350' },
  'webshop.order.status': orderStatusExample,
};

export function exampleEvent<T extends EventType>(type: T, source: string): CloudEvent<T> {
  const data = exampleData[type];
  return {
    specversion: '1.0',
    id: '5b0e5c1e-8f4a-4c8e-9f0e-2d3c4b5a6978',
    source,
    type,
    time: '2026-11-26T15:32:18.681Z',
    subject: data.orderId,
    datacontenttype: 'application/json',
    correlationid: '95994a31-1d2e-4f5a-8b6c-7d8e9f0a1b2c',
    ordertime: '2026-11-26T15:32:18.402Z',
    data,
  };
}

export function eventMessage(type: EventType, source: string, summary: string): MessageContract {
  const example = exampleEvent(type, source);
  return {
    name: type,
    title: type,
    summary,
    contentType: cloudEventContentType,
    key: orderIdKey,
    headers: {
      type: 'object',
      properties: {
        'content-type': { const: cloudEventContentType, description: 'Structured mode; the shop always sets it.' },
        ...replayHeaderSchemas,
      },
    },
    payload: {
      allOf: [
        ref('CloudEvent'),
        { properties: { type: { const: type }, subject: { pattern: orderIdPattern }, data: ref(`${type}.data`) } },
      ],
    },
    example: { key: example.subject, headers: { 'content-type': cloudEventContentType }, payload: example },
  };
}
