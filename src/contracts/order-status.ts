// The order-status record: what the status actor folds an order's events into, on the compacted order_status
// topic (key = orderId), and what GET /orders/:id answers. One TypeScript type and its ajv schema.
import type { JSONSchemaType } from 'ajv';
import { orderIdPattern } from './order-id.js';

/** The stages of an order, in the order they are reached; an order's status is the furthest it reached. */
export const orderStatuses = ['created', 'paid', 'payment_failed', 'shipped', 'customer_notified'] as const;

export type OrderStatusName = (typeof orderStatuses)[number];

/**
 * The event types on the way to each status after which nothing more happens to an order (events.ts imports this
 * module, so they are strings here; the status actor's tests fold real events through them).
 */
const pathTo: Partial<Record<OrderStatusName, readonly string[]>> = {
  shipped: ['webshop.order.created', 'webshop.payment.completed', 'webshop.order.shipped'],
  customer_notified: ['webshop.order.created', 'webshop.payment.failed', 'webshop.notification.sent'],
};

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

/**
 * True once the order's record is its last: a terminal status with every event on the way to it in the history.
 * The status actor folds an order's events in any arrival order, so a terminal status can come before them.
 * @example isSettled({ ...record, status: 'shipped', history: [shippedEntry] }) // false: created and paid to come
 */
export function isSettled(record: Pick<OrderStatus, 'status' | 'history'>): boolean {
  const path = pathTo[record.status];
  return path !== undefined && path.every((type) => record.history.some((entry) => entry.type === type));
}
