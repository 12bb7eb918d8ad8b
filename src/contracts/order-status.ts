// The order-status record: what the status actor folds an order's events into, on the compacted order_status
// topic (key = orderId), and what GET /orders/:id answers. One TypeScript type and its ajv schema.
import type { JSONSchemaType } from 'ajv';
import { orderIdPattern } from './order-id.js';

/** The stages of an order, in the order they are reached; an order's status is the furthest it reached. */
export const orderStatuses = ['created', 'paid', 'payment_failed', 'shipped', 'customer_notified'] as const;

export type OrderStatusName = (typeof orderStatuses)[number];

/** The statuses after which nothing more happens to an order. */
export const terminalStatuses: readonly OrderStatusName[] = ['shipped', 'customer_notified'];

/** One event of the order, by where it was read: topic, partition and offset name it uniquely. */
export interface OrderHistoryEntry {
  /** The CloudEvents type, e.g. `webshop.payment.failed`. */
  type: string;
  /** The event's time (ISO 8601). */
  time: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface OrderStatus {
  orderId: string;
  /** The order's amount, from whichever event carries it (order_created's wins); absent until one does. */
  amount?: number;
  status: OrderStatusName;
  correlationId: string;
  /** The earliest and the latest event time of the order. */
  createdAt: string;
  updatedAt: string;
  /** Sorted by event time, then topic, partition and offset. */
  history: OrderHistoryEntry[];
}

const time = { type: 'string', format: 'date-time' } as const;

/** The JSON Schema of an order-status record (data of `webshop.order.status` events, body of GET /orders/:id). */
export const orderStatusSchema: JSONSchemaType<OrderStatus> = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'status', 'correlationId', 'createdAt', 'updatedAt', 'history'],
  properties: {
    orderId: { type: 'string', pattern: orderIdPattern },
    amount: { type: 'number', nullable: true },
    status: { type: 'string', enum: orderStatuses },
    correlationId: { type: 'string', minLength: 1, maxLength: 200 },
    createdAt: time,
    updatedAt: time,
    history: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'time', 'topic', 'partition', 'offset'],
        properties: {
          type: { type: 'string', minLength: 1, maxLength: 200 },
          time,
          topic: { type: 'string', minLength: 1, maxLength: 249 },
          partition: { type: 'integer', minimum: 0 },
          offset: { type: 'string', pattern: '^[0-9]+$' },
        },
      },
    },
  },
};
