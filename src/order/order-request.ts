// What POST /order accepts: `OrderId`/`Amount` in any letter case (the original binds names
// case-insensitively), checked by one ajv schema; every problem is reported with the field it is about.
import { randomUUID } from 'node:crypto';
import { Ajv, type JSONSchemaType } from 'ajv';
import { amountSchema, orderIdPattern } from '../contracts/events.js';
import { HttpError, type FieldError } from '../errors.js';

export interface OrderRequest {
  orderId: string;
  amount: number;
}

interface NormalizedBody {
  orderId?: string;
  amount: number;
}

const orderIdField = { type: 'string', pattern: orderIdPattern } as const;

const bodySchema: JSONSchemaType<NormalizedBody> = {
  type: 'object',
  additionalProperties: false,
  required: ['amount'],
  properties: {
    orderId: { ...orderIdField, nullable: true },
    amount: amountSchema,
  },
};

/** POST /order's body as the OpenAPI document shows it: the schema above, with the field names in their usual case. */
export const orderRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['Amount'],
  description: 'Field names match in any letter case (OrderId, orderId, ORDERID, ..); each may appear once.',
  properties: {
    OrderId: { ...orderIdField, description: 'Your id for the order; a UUID is generated when it is absent.' },
    Amount: { ...amountSchema, description: 'More than 0, at most 1,000,000, at most 2 decimals.' },
  },
} as const;

const validateBody = new Ajv({ allErrors: true, multipleOfPrecision: 6 }).compile(bodySchema);

const canonicalNames: Record<string, keyof NormalizedBody> = { orderid: 'orderId', amount: 'amount' };

const messages: Record<string, string> = {
  pattern: 'must be 1-64 letters, digits, "-" or "_"',
  exclusiveMinimum: 'must be greater than 0',
  maximum: 'must be at most 1000000',
  multipleOf: 'must have at most 2 decimals',
  required: 'is required',
};

function invalid(errors: FieldError[]): HttpError {
  return new HttpError(400, 'ORDER_INVALID', 'Invalid order', { errors });
}

/**
 * Validates a parsed JSON body and returns the order, with a generated UUID when OrderId is absent.
 * Throws a 400 HttpError listing every field that is wrong.
 * @example parseOrderRequest({ OrderId: '123', Amount: 50 }) // { orderId: '123', amount: 50 }
 */
export function parseOrderRequest(body: unknown, newId: () => string = randomUUID): OrderRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  const sentAs: Partial<Record<keyof NormalizedBody, string>> = {};
  const normalized: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(body)) {
    const lower = name.toLowerCase();
    const canonical = Object.hasOwn(canonicalNames, lower) ? canonicalNames[lower] : undefined;
    if (canonical === undefined) errors.push({ field: name, message: 'is not a known field' });
    else if (value === null)
      errors.push({ field: name, message: `must be a ${canonical === 'amount' ? 'number' : 'string'}` });
    else if (sentAs[canonical] !== undefined) errors.push({ field: name, message: `repeats ${sentAs[canonical]}` });
    else {
      sentAs[canonical] = name;
      normalized[canonical] = value;
    }
  }
  const valid = validateBody(normalized);
  if (!valid) {
    for (const error of validateBody.errors ?? []) {
      const key = (error.keyword === 'required' ? error.params.missingProperty : error.instancePath.slice(1)) as
        keyof NormalizedBody | '';
      if (key === '') continue;
      const field = sentAs[key] ?? (key === 'amount' ? 'Amount' : 'OrderId');
      const message = error.keyword === 'type' ? `must be a ${String(error.params.type)}` : messages[error.keyword];
      errors.push({ field, message: message ?? error.message ?? 'is invalid' });
    }
  }
  if (errors.length === 0 && !valid) errors.push({ field: '(body)', message: 'is invalid' });
  if (errors.length > 0) throw invalid(errors);
  const order = normalized as unknown as NormalizedBody;
  return { orderId: order.orderId ?? newId(), amount: order.amount };
}
