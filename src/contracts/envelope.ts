// CloudEvents 1.0 in structured JSON mode: building an event, and decoding one from message bytes with
// every check a consumer needs (JSON, envelope, known type, data schema), each failure with its own code.
import { randomUUID } from 'node:crypto';
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { WebshopError } from '../errors.js';
import { dataSchema, eventTypes, isEventType, orderIdPattern, type EventData, type EventType } from './events.js';

/** The `content-type` header of every event message. */
export const cloudEventContentType = 'application/cloudevents+json';

export interface CloudEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  /** Extension attribute: the X-Request-Id of the HTTP request that started this order's story. */
  correlationid: string;
  data: EventData[T];
}

/** Any event of the shop. */
export type AnyCloudEvent = { [T in EventType]: CloudEvent<T> }[EventType];

type Envelope = Omit<CloudEvent, 'data' | 'type'> & { type: string; data: Record<string, unknown> };

const envelopeSchema: JSONSchemaType<Envelope> = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'correlationid', 'data'],
  properties: {
    specversion: { type: 'string', const: '1.0' },
    id: { type: 'string', minLength: 1, maxLength: 128 },
    source: { type: 'string', minLength: 1, maxLength: 256 },
    type: { type: 'string', minLength: 1, maxLength: 128 },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', pattern: orderIdPattern },
    datacontenttype: { type: 'string', const: 'application/json' },
    correlationid: { type: 'string', minLength: 1, maxLength: 128 },
    data: { type: 'object', required: [] },
  },
};

// ajv-formats is published as CommonJS with a default export; NodeNext sees the namespace.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv, formats: string[]) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, multipleOfPrecision: 6 }), ['date-time']);
const validateEnvelope = ajv.compile(envelopeSchema);
const validators = Object.fromEntries(eventTypes.map((type) => [type, ajv.compile(dataSchema(type))])) as {
  [T in EventType]: ValidateFunction<EventData[T]>;
};

export interface EventOrigin {
  /** The service that emits the event, e.g. `webshop/payment`. */
  source: string;
  correlationId: string;
  id?: string;
  time?: Date;
}

/**
 * Builds a CloudEvent whose subject is the order id.
 * @example createEvent('webshop.order.created', { orderId: '123', amount: 50 }, { source: 'webshop/order', correlationId })
 */
export function createEvent<T extends EventType>(type: T, data: EventData[T], origin: EventOrigin): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: origin.id ?? randomUUID(),
    source: origin.source,
    type,
    time: (origin.time ?? new Date()).toISOString(),
    subject: data.orderId,
    datacontenttype: 'application/json',
    correlationid: origin.correlationId,
    data,
  };
}

function describe(errors: ValidateFunction['errors'], prefix: string): string {
  return (errors ?? [])
    .map((error) => `${prefix}${error.instancePath || ''} ${error.message ?? 'is invalid'}`.trim())
    .join('; ');
}

/**
 * Decodes and validates one message value. Throws a WebshopError whose code says what is wrong:
 * INVALID_JSON, INVALID_ENVELOPE, UNKNOWN_TYPE (not a shop event, or not one of `accepted`), SCHEMA_VIOLATION.
 */
export function decodeEvent<T extends EventType>(value: Buffer | null, accepted: readonly T[]): CloudEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? '');
  } catch (error) {
    throw new WebshopError('INVALID_JSON', `value is not JSON: ${(error as Error).message}`);
  }
  if (!validateEnvelope(parsed)) {
    throw new WebshopError('INVALID_ENVELOPE', `not a CloudEvent: ${describe(validateEnvelope.errors, 'event')}`);
  }
  const type = parsed.type;
  if (!isEventType(type) || !(accepted as readonly string[]).includes(type)) {
    throw new WebshopError('UNKNOWN_TYPE', `event type ${type} is not one of ${accepted.join(', ')}`);
  }
  const validateData = validators[type];
  if (!validateData(parsed.data)) {
    throw new WebshopError('SCHEMA_VIOLATION', `${type} data is invalid: ${describe(validateData.errors, 'data')}`);
  }
  if ((parsed.data as { orderId: string }).orderId !== parsed.subject) {
    throw new WebshopError('SCHEMA_VIOLATION', `${type} subject does not match data.orderId`);
  }
  return parsed as unknown as CloudEvent<T>;
}

/** The message value of an event. */
export function encodeEvent(event: CloudEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}
