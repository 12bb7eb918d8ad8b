// The JSON bodies the order service answers with, and its X-Request-Id header: one TypeScript type and one
// JSON Schema each, used by app.ts to answer and by the OpenAPI document to describe the answers.
import { orderIdPattern } from '../contracts/events.js';

/** The X-Request-Id a client may send: 1-128 visible ASCII characters; any other is replaced by a UUID. */
export const requestIdPattern = '^[\\x21-\\x7e]{1,128}$';

/** Every answer that is not a success: 4xx and 5xx alike. */
export interface ErrorBody {
  status: 'error';
  message: string;
  /** The order concerned, when the answer is about one (503: retry with it). */
  orderId?: string;
  /** Every field that is wrong (400). */
  errors?: { field: string; message: string }[];
}

export const errorBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'message'],
  properties: {
    status: { const: 'error' },
    message: { type: 'string', description: 'What went wrong; "Internal server error" for a 500.' },
    orderId: { type: 'string', pattern: orderIdPattern, description: 'The order concerned (503).' },
    errors: {
      type: 'array',
      description: 'Every bad field of the request (400), by the name the client sent.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** The 201 of POST /order. */
export interface OrderAcceptedBody {
  status: 'success';
  message: 'Order Created';
  orderId: string;
}

export const orderAcceptedBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'message', 'orderId'],
  properties: {
    status: { const: 'success' },
    message: { const: 'Order Created' },
    orderId: { type: 'string', pattern: orderIdPattern, description: 'The order id sent, or the one generated.' },
  },
} as const;

export const healthBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { const: 'ok' } },
} as const;

export const readinessBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { enum: ['ready', 'not ready'] } },
} as const;
