// The event types of the shop: one TypeScript type and one JSON Schema per type, tied together by
// ajv's JSONSchemaType so they cannot drift apart, and the topic each type travels on.
import type { JSONSchemaType } from 'ajv';
import { orderIdPattern } from './order-id.js';
import { orderStatusSchema, type OrderStatus } from './order-status.js';
import type { TopicName } from './topics.js';

export { orderIdPattern };

export interface OrderCreated {
  orderId: string;
  amount: number;
}

export interface PaymentCompleted {
  orderId: string;
  amount: number;
  paymentId: string;
}

export interface PaymentFailed {
  orderId: string;
  amount: number;
  reason: 'insufficient_funds';
  message: 'Payment failed due to insufficient funds';
}

export interface OrderShipped {
  orderId: string;
  shipmentId: string;
}

export interface NotificationSent {
  orderId: string;
  channel: 'email';
  message: string;
}

/** Every event type and its data. */
export interface EventData {
  'webshop.order.created': OrderCreated;
  'webshop.payment.completed': PaymentCompleted;
  'webshop.payment.failed': PaymentFailed;
  'webshop.order.shipped': OrderShipped;
  'webshop.notification.sent': NotificationSent;
  /** The status actor's fold of an order's events so far (on the compacted order_status topic). */
  'webshop.order.status': OrderStatus;
}

export type EventType = keyof EventData;

const orderId = { type: 'string', pattern: orderIdPattern } as const;
/** An order's amount, in the events and in POST /order: more than 0, at most 1,000,000, at most 2 decimals. */
export const amountSchema = { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000, multipleOf: 0.01 } as const;
const amount = amountSchema;
const id = { type: 'string', minLength: 1, maxLength: 64 } as const;

const schemas: { [T in EventType]: JSONSchemaType<EventData[T]> } = {
  'webshop.order.created': {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'amount'],
    properties: { orderId, amount },
  },
  'webshop.payment.completed': {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'amount', 'paymentId'],
    properties: { orderId, amount, paymentId: id },
  },
  'webshop.payment.failed': {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'amount', 'reason', 'message'],
    properties: {
      orderId,
      amount,
      reason: { type: 'string', const: 'insufficient_funds' },
      message: { type: 'string', const: 'Payment failed due to insufficient funds' },
    },
  },
  'webshop.order.shipped': {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'shipmentId'],
    properties: { orderId, shipmentId: id },
  },
  'webshop.notification.sent': {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'channel', 'message'],
    properties: {
      orderId,
      channel: { type: 'string', const: 'email' },
      message: { type: 'string', minLength: 1, maxLength: 1000 },
    },
  },
  'webshop.order.status': orderStatusSchema,
};

/** The topic each event type is published on. */
export const eventTopics: { readonly [T in EventType]: TopicName } = {
  'webshop.order.created': 'order_created',
  'webshop.payment.completed': 'payment_completed',
  'webshop.payment.failed': 'payment_failed',
  'webshop.order.shipped': 'order_shipped',
  'webshop.notification.sent': 'notification_sent',
  'webshop.order.status': 'order_status',
};

export const eventTypes = Object.keys(schemas) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(schemas, value);
}

export function dataSchema<T extends EventType>(type: T): JSONSchemaType<EventData[T]> {
  return schemas[type];
}
