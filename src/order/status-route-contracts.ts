// The order-status routes' entries of the route table (GET /orders/:id, GET /orders): their parameters, from the
// rules the routes validate with, and their answers, with the status record's own schema.
import { orderIdPattern } from '../contracts/order-id.js';
import { orderStatusExample, type JsonSchema } from '../contracts/message-contracts.js';
import { orderStatusSchema } from '../contracts/order-status.js';
import { answer, error, type NamedSchema, type RouteContract } from './route-contract.js';
import { statusQueryRules } from './status-routes.js';

const orderStatusBody: NamedSchema = { name: 'OrderStatus', schema: orderStatusSchema as JsonSchema };
const acceptedStatusSchema = {
  type: 'object',
  required: ['status', 'message', 'orderId'],
  additionalProperties: false,
  properties: { status: { const: 'accepted' }, message: { type: 'string' }, orderId: { type: 'string' } },
};

/** GET /orders/:id and GET /orders, as the OpenAPI document tells them. */
export const statusRouteContracts: RouteContract[] = [
  {
    method: 'get',
    path: '/orders/:id',
    operationId: 'orderStatus',
    summary: "An order's status record, from the order_status projection (docs/status.md)",
    parameters: [
      {
        name: 'id',
        in: 'path',
        description: 'The order id.',
        required: true,
        schema: { type: 'string', pattern: orderIdPattern },
        example: '123',
      },
      {
        name: 'wait',
        in: 'query',
        description:
          'terminal: answer once the order is shipped or customer_notified with every event on the way in its ' +
          'history, or at the timeout (a wait also covers the status table still loading).',
        required: false,
        schema: statusQueryRules.wait,
        example: 'terminal',
      },
      {
        name: 'timeout',
        in: 'query',
        description: 'How long `wait=terminal` waits, in ms; then the status so far.',
        required: false,
        schema: statusQueryRules.timeout,
        example: 5000,
      },
    ],
    responses: {
      200: answer('The order as projected so far.', orderStatusBody, { paid: orderStatusExample }),
      202: answer(
        'Not projected yet, but this instance published the order moments ago.',
        { name: 'OrderAcceptedStatus', schema: acceptedStatusSchema },
        { accepted: { status: 'accepted', message: 'Order accepted, not projected yet', orderId: '123' } },
      ),
      400: error('An id that can never be valid, or a bad query parameter (named).', {
        id: {
          status: 'error',
          message: 'Invalid order id',
          errors: [{ field: 'id', message: 'must be 1-64 letters' }],
        },
        query: {
          status: 'error',
          message: 'Invalid query',
          errors: [{ field: 'timeout', message: 'must be <= 30000' }],
        },
      }),
      404: error('No such order.', { unknown: { status: 'error', message: 'Order not found', orderId: '123' } }),
      503: error('The status table is still loading.', {
        loading: { status: 'error', message: 'Order status is still loading; retry shortly' },
      }),
    },
  },
  {
    method: 'get',
    path: '/orders',
    operationId: 'newestOrders',
    summary: 'The newest orders, newest first (by createdAt)',
    parameters: [
      {
        name: 'limit',
        in: 'query',
        description: 'How many orders at most.',
        required: false,
        schema: statusQueryRules.limit,
        example: 50,
      },
    ],
    responses: {
      200: answer(
        'The newest orders.',
        {
          name: 'OrderList',
          schema: {
            type: 'object',
            required: ['orders'],
            properties: { orders: { type: 'array', items: { $ref: '#/components/schemas/OrderStatus' } } },
          },
        },
        { orders: { orders: [orderStatusExample] } },
      ),
      400: error('A bad `limit`.', {
        query: { status: 'error', message: 'Invalid query', errors: [{ field: 'limit', message: 'must be <= 500' }] },
      }),
      503: error('The status table is still loading.', {
        loading: { status: 'error', message: 'Order status is still loading; retry shortly' },
      }),
    },
  },
];
