// CloudEvents 1.0 in structured JSON mode: building an event, and decoding one that any producer wrote,
// with every check a consumer needs (JSON, envelope, known type, data schema), each failure with its own code.
import { randomUUID } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { WebshopError } from '../errors.js';
import { cloudEventSchema, jsonData, patternMeanings, withoutNullAttributes } from './cloud-event-format.js';
import { isDateTime } from './date-time.js';
import { dataSchema, eventTypes, isEventType, type EventData, type EventType } from './events.js';

/** The `content-type` header of every event message. */
export const cloudEventContentType = 'application/cloudevents+json';

/** An event of the shop as any CloudEvents 1.0 producer may write it; its extensions stay on the object. */
export interface ReceivedEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  /** The order id when present. */
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  /** Our extension; read it with `correlationIdOf`, which falls back to the event id. */
  correlationid?: string | number | boolean;
  /** Our extension: when the order was created (its order_created event's `time`); read it with `orderTimeOf`. */
  ordertime?: string;
  /** CloudEvents distributed-tracing extension: the W3C trace context of the event's creation. */
  traceparent?: string | number | boolean;
  tracestate?: string | number | boolean;
  data: EventData[T];
}

/** An event as the shop produces it: every optional attribute set. */
export interface CloudEvent<T extends EventType = EventType> extends ReceivedEvent<T> {
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  /** Extension attribute: the X-Request-Id of the HTTP request that started this order's story. */
  correlationid: string;
  ordertime: string;
}

/** Any event of the shop. */
export type AnyCloudEvent = { [T in EventType]: CloudEvent<T> }[EventType];

// ajv-formats is published as CommonJS with a default export; NodeNext sees the namespace.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv, formats: string[]) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, allowUnionTypes: true, multipleOfPrecision: 6 }), [
  'uri',
  'uri-reference',
]).addFormat('date-time', isDateTime);
const validateEnvelope = ajv.compile<Omit<ReceivedEvent, 'data'> & { data?: unknown; data_base64?: string }>(
  cloudEventSchema,
);
const validators = Object.fromEntries(eventTypes.map((type) => [type, ajv.compile(dataSchema(type))])) as {
  [T in EventType]: ValidateFunction<EventData[T]>;
};

export interface EventOrigin {
  /** The service that emits the event, e.g. `webshop/payment`. */
  source: string;
  correlationId: string;
  id?: string;
  time?: Date;
  /** When the order was created (`orderTimeOf` its input event); absent: this event's own time (order_created). */
  orderTime?: string;
  /** The W3C trace context the event carries (distributed-tracing extension); absent: none. */
  trace?: { traceparent?: string; tracestate?: string };
}

/**
 * Builds a CloudEvent whose subject is the order id.
 * @example createEvent('webshop.order.created', { orderId: '123', amount: 50 }, { source: 'webshop/order', correlationId })
 */
export function createEvent<T extends EventType>(type: T, data: EventData[T], origin: EventOrigin): CloudEvent<T> {
  const time = (origin.time ?? new Date()).toISOString();
  return {
    specversion: '1.0',
    id: origin.id ?? randomUUID(),
    source: origin.source,
    type,
    time,
    subject: data.orderId,
    datacontenttype: 'application/json',
    correlationid: origin.correlationId,
    ordertime: origin.orderTime ?? time,
    ...origin.trace,
    data,
  };
}

/**
 * The correlation id of an event: our `correlationid` extension in its canonical string form, or the
 * event id when another producer left it out.
 */
export function correlationIdOf(event: ReceivedEvent): string {
  const { correlationid } = event;
  return correlationid === undefined || correlationid === '' ? event.id : String(correlationid);
}

/**
 * When the order of an event was created: our `ordertime` extension, or the event's own `time` when another
 * producer (or an older version of the shop) left it out.
 */
export function orderTimeOf(event: Pick<ReceivedEvent, 'ordertime' | 'time'>): string | undefined {
  return event.ordertime ?? event.time;
}

function describe(errors: ErrorObject[] | null | undefined, prefix: string): string {
  return (errors ?? [])
    .filter((error) => error.propertyName === undefined) // its propertyNames error names the attribute
    .map((error) => {
      const { propertyName, pattern } = error.params as { propertyName?: string; pattern?: string };
      if (propertyName !== undefined) return `${prefix} attribute name "${propertyName}" is not lower-case a-z and 0-9`;
      if (error.keyword === 'false schema') return `${prefix}${error.instancePath} must be absent beside data_base64`;
      const meaning = patternMeanings.get(pattern ?? '') ?? error.message ?? 'is invalid';
      return `${prefix}${error.instancePath} ${meaning}`;
    })
    .join('; ');
}

/**
 * Decodes and validates one message value written in structured mode by any CloudEvents 1.0 producer.
 * Throws a WebshopError whose code says what is wrong: INVALID_JSON, INVALID_ENVELOPE (not a CloudEvent),
 * UNKNOWN_TYPE (not a shop event, or not one of `accepted`), SCHEMA_VIOLATION (data not as its type says).
 */
export function decodeEvent<T extends EventType>(value: Buffer | null, accepted: readonly T[]): ReceivedEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? '');
  } catch (error) {
    throw new WebshopError('INVALID_JSON', `value is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WebshopError('INVALID_ENVELOPE', 'not a CloudEvent: event must be a JSON object');
  }
  const envelope = withoutNullAttributes(parsed as Record<string, unknown>);
  if (!validateEnvelope(envelope)) {
    throw new WebshopError('INVALID_ENVELOPE', `not a CloudEvent: ${describe(validateEnvelope.errors, 'event')}`);
  }
  const { type } = envelope;
  if (!isEventType(type) || !(accepted as readonly string[]).includes(type)) {
    throw new WebshopError('UNKNOWN_TYPE', `event type ${type} is not one of ${accepted.join(', ')}`);
  }
  const data = jsonData(envelope);
  const validateData = validators[type];
  if (!validateData(data)) {
    throw new WebshopError('SCHEMA_VIOLATION', `${type} data is invalid: ${describe(validateData.errors, 'data')}`);
  }
  if (envelope.subject !== undefined && envelope.subject !== data.orderId) {
    throw new WebshopError('SCHEMA_VIOLATION', `${type} subject does not match data.orderId`);
  }
  // The parsed object is the event unless its data came in base64: then a copy with the decoded data.
  if (envelope.data_base64 === undefined) return envelope as unknown as ReceivedEvent<T>;
  const event: Record<string, unknown> = { ...envelope, data };
  delete event.data_base64;
  return event as unknown as ReceivedEvent<T>;
}

/** The message value of an event. */
export function encodeEvent(event: CloudEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}
