// What travels on each topic, as the AsyncAPI document tells it: one entry per topic of config/topics.conf with
// its messages (schemas from the code that validates them, and an example), its key, its writers and readers.
import { errorCodes } from '../errors.js';
import { cloudEventSchema } from './cloud-event-format.js';
import { deadLetterHeaders, replayHeaders, replayRecordSchema } from './dead-letter.js';
import { cloudEventContentType, type CloudEvent } from './envelope.js';
import { dataSchema, eventTypes, orderIdPattern, type EventData, type EventType } from './events.js';
import type { TopicName } from './topics.js';

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
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const orderIdKey = {
  type: 'string',
  pattern: orderIdPattern,
  description: 'The order id: every event of one order goes to one partition, in order.',
};
const replayHeaderSchemas = {
  [replayHeaders.replayOf]: { type: 'string', description: 'Set by `make dlq-replay`: the dead letter replayed.' },
  [replayHeaders.replayedAt]: { type: 'string', format: 'date-time', description: 'Set by `make dlq-replay`.' },
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
  'webshop.order.status': {
    orderId: '123',
    amount: 50,
    status: 'paid',
    correlationId: 'req-7f3a',
    createdAt: '2026-11-26T15:32:18.681Z',
    updatedAt: '2026-11-26T15:32:18.702Z',
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
    ],
  },
};

function exampleEvent<T extends EventType>(type: T, source: string): CloudEvent<T> {
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
    data,
  };
}

function eventMessage(type: EventType, source: string, summary: string): MessageContract {
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

/** What each dlq-* header says; a header added to deadLetterHeaders needs its line here. */
const deadLetterHeaderMeanings: { [K in keyof typeof deadLetterHeaders]: [JsonSchema, string] } = {
  originalTopic: [{ type: 'string' }, 'The topic the message was read from.'],
  originalPartition: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its partition.'],
  originalOffset: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its offset.'],
  originalTimestamp: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its timestamp, in ms since the epoch.'],
  consumerGroup: [{ type: 'string' }, 'The consumer group that read it.'],
  actor: [{ type: 'string' }, 'The actor that gave up on it.'],
  errorCode: [{ type: 'string', enum: [...errorCodes] }, 'Why: the error code.'],
  errorMessage: [{ type: 'string', maxLength: 1000 }, 'Why, in words.'],
  failedAt: [{ type: 'string', format: 'date-time' }, 'When it was dead-lettered.'],
  attempts: [{ type: 'string', pattern: '^[0-9]+$' }, 'How many times the handler tried it.'],
};

const deadLetterMessage: MessageContract = {
  name: 'deadLetter',
  title: 'dead letter',
  summary: 'A message an actor could not use: its key, value bytes and headers unchanged, plus the dlq-* headers.',
  contentType: cloudEventContentType,
  key: { type: ['string', 'null'], description: "The failed message's key, unchanged." },
  headers: {
    type: 'object',
    required: Object.values(deadLetterHeaders),
    properties: {
      ...Object.fromEntries(
        Object.entries(deadLetterHeaderMeanings).map(([key, [schema, description]]) => [
          deadLetterHeaders[key as keyof typeof deadLetterHeaders],
          { ...(schema as object), description },
        ]),
      ),
      ...replayHeaderSchemas,
    },
    additionalProperties: { type: 'string', description: "The failed message's own headers, kept." },
  },
  payload: { description: "The failed message's value, byte for byte: anything a producer wrote." },
  example: {
    key: '123',
    headers: {
      'content-type': cloudEventContentType,
      [deadLetterHeaders.originalTopic]: 'order_created',
      [deadLetterHeaders.originalPartition]: '3',
      [deadLetterHeaders.originalOffset]: '42',
      [deadLetterHeaders.originalTimestamp]: '1795707138681',
      [deadLetterHeaders.consumerGroup]: 'payment',
      [deadLetterHeaders.actor]: 'payment',
      [deadLetterHeaders.errorCode]: 'SCHEMA_VIOLATION',
      [deadLetterHeaders.errorMessage]: 'webshop.order.created data is invalid: data/amount must be number',
      [deadLetterHeaders.failedAt]: '2026-11-26T15:32:18.690Z',
      [deadLetterHeaders.attempts]: '1',
    },
    payload: { ...exampleEvent('webshop.order.created', 'webshop/order'), data: { orderId: '123', amount: '50' } },
  },
};

const replayMessage: MessageContract = {
  name: 'deadLetterReplay',
  title: 'dead-letter replay',
  summary: 'That `make dlq-replay` re-published a dead letter; a tombstone (null value) forgets it.',
  contentType: 'application/json',
  key: { type: 'string', pattern: '^[0-9]+/[0-9]+$', description: "The dead letter's `<partition>/<offset>`." },
  headers: { type: 'object' },
  payload: replayRecordSchema as JsonSchema,
  example: {
    key: '3/17',
    headers: {},
    payload: { replayedAt: '2026-11-27T09:00:00.000Z', originalTopic: 'order_created' },
  },
};

/** Every topic's contract; a topic added to topicNames needs its entry here (the type says so). */
export const topicContracts: { readonly [T in TopicName]: TopicContract } = {
  order_created: {
    description: 'Orders placed through POST /order, once the broker has acknowledged them.',
    messages: [eventMessage('webshop.order.created', 'webshop/order', 'An order was placed.')],
    producers: ['order'],
    consumers: ['payment', 'status'],
  },
  payment_completed: {
    description: 'Payments taken: the amount was within PAYMENT_LIMIT.',
    messages: [eventMessage('webshop.payment.completed', 'webshop/payment', 'The payment of an order went through.')],
    producers: ['payment'],
    consumers: ['shipping', 'status'],
  },
  payment_failed: {
    description: 'Payments refused: the amount was over PAYMENT_LIMIT.',
    messages: [eventMessage('webshop.payment.failed', 'webshop/payment', 'The payment of an order was refused.')],
    producers: ['payment'],
    consumers: ['notification', 'status'],
  },
  order_shipped: {
    description: 'Orders shipped after their payment.',
    messages: [eventMessage('webshop.order.shipped', 'webshop/shipping', 'An order was shipped.')],
    producers: ['shipping'],
    consumers: ['status'],
  },
  notification_sent: {
    description: 'Customers told that their payment failed.',
    messages: [eventMessage('webshop.notification.sent', 'webshop/notification', 'A customer was notified.')],
    producers: ['notification'],
    consumers: ['status'],
  },
  order_status: {
    description: 'Each order folded into one status record by the status actor; compacted: the latest per order.',
    messages: [eventMessage('webshop.order.status', 'webshop/status', 'The status of an order, as it is now.')],
    producers: ['status'],
    consumers: ['order'],
  },
  dead_letter: {
    description: 'Messages an actor could not use; `make dlq` lists them, `make dlq-replay` re-publishes them.',
    messages: [deadLetterMessage],
    producers: ['payment', 'shipping', 'notification', 'status'],
    consumers: ['dlq'],
  },
  dead_letter_replays: {
    description: 'Which dead letters `make dlq-replay` re-published, so a second run skips them.',
    messages: [replayMessage],
    producers: ['dlq'],
    consumers: ['dlq'],
  },
};
