// GET /orders/:id and GET /orders: the order-status API, answered from the service's table of order_status.
// Waits for an order's terminal status on the table's changes, never by polling.
import type Router from '@koa/router';
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import { orderIdPattern } from '../contracts/order-id.js';
import { isSettled, type OrderStatus } from '../contracts/order-status.js';
import { HttpError, type FieldError } from '../errors.js';
import type { StatusTable } from './status-table.js';

export interface StatusApiDeps {
  table: StatusTable;
  /** False until the table has read order_status to its end once: until then it answers 503. */
  loaded(): boolean;
  /** True when this instance published the order recently (it may not be projected yet). */
  producedRecently(orderId: string): boolean;
}

/** The query parameters' rules, shared by the validators below and the OpenAPI document (routes.ts). */
export const statusQueryRules = {
  wait: { type: 'string', enum: ['terminal'] },
  /** `timeout` of `?wait=terminal`, in ms. */
  timeout: { type: 'integer', minimum: 0, maximum: 30000, default: 5000 },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
} as const;
/** The longest `timeout` of `?wait=terminal`, in ms. */
export const maxWaitMs = statusQueryRules.timeout.maximum;
const defaultWaitMs = statusQueryRules.timeout.default;
const defaultLimit = statusQueryRules.limit.default;

interface OrderQuery {
  wait?: 'terminal';
  timeout?: number;
}
interface OrdersQuery {
  limit?: number;
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true });
const validateOrderQuery = ajv.compile<OrderQuery>({
  type: 'object',
  required: [],
  properties: {
    wait: { ...statusQueryRules.wait, enum: [...statusQueryRules.wait.enum], nullable: true },
    timeout: { type: 'integer', minimum: 0, maximum: maxWaitMs, nullable: true },
  },
} satisfies JSONSchemaType<OrderQuery>);
const validateOrdersQuery = ajv.compile<OrdersQuery>({
  type: 'object',
  required: [],
  properties: {
    limit: {
      type: 'integer',
      minimum: statusQueryRules.limit.minimum,
      maximum: statusQueryRules.limit.maximum,
      nullable: true,
    },
  },
} satisfies JSONSchemaType<OrdersQuery>);
const validId = new RegExp(orderIdPattern);

function parseQuery<T>(validate: ValidateFunction<T>, query: Record<string, unknown>): T {
  // One value per name: a repeated parameter (`?limit=1&limit=2`) is not a number.
  const copy = { ...query };
  if (validate(copy)) return copy;
  const errors: FieldError[] = (validate.errors ?? []).map((error) => ({
    field: error.instancePath.slice(1) || '(query)',
    message: error.message ?? 'is invalid',
  }));
  throw new HttpError(400, 'QUERY_INVALID', 'Invalid query', { errors });
}

/**
 * Adds the status routes to `router`.
 * @example statusRoutes(router, { table, loaded: () => true, producedRecently: (id) => recent.has(id) });
 */
export function statusRoutes(router: Router, deps: StatusApiDeps): void {
  const { table } = deps;
  const requireLoaded = (): void => {
    if (!deps.loaded()) {
      throw new HttpError(503, 'STATUS_UNAVAILABLE', 'Order status is still loading; retry shortly', {
        expose: true,
        retriable: true,
      });
    }
  };

  router.get('/orders/:id', async (ctx) => {
    const orderId = ctx.params.id ?? '';
    if (!validId.test(orderId)) {
      throw new HttpError(400, 'ORDER_INVALID', 'Invalid order id', {
        errors: [{ field: 'id', message: 'must be 1-64 letters, digits, "-" or "_"' }],
      });
    }
    const query = parseQuery(validateOrderQuery, ctx.query);
    let record: OrderStatus | undefined = table.get(orderId);
    if (query.wait === 'terminal') {
      // The table fills while it loads, and a settled record is final: the wait covers the loading too.
      const aborted = new AbortController();
      ctx.req.once('close', () => aborted.abort());
      record = await table.waitFor(orderId, isSettled, query.timeout ?? defaultWaitMs, aborted.signal);
      if (record === undefined || !isSettled(record)) requireLoaded();
    } else {
      requireLoaded();
    }
    if (record !== undefined) {
      ctx.body = record;
      return;
    }
    if (deps.producedRecently(orderId)) {
      ctx.status = 202;
      ctx.body = { status: 'accepted', message: 'Order accepted, not projected yet', orderId };
      return;
    }
    throw new HttpError(404, 'NOT_FOUND', 'Order not found', { orderId });
  });

  router.get('/orders', (ctx) => {
    const { limit = defaultLimit } = parseQuery(validateOrdersQuery, ctx.query);
    requireLoaded();
    ctx.body = { orders: table.newest(limit) };
  });
}
