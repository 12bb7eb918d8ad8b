// The CloudEvents 1.0 JSON format (structured mode) as one JSON Schema: what an event from any producer must
// be before its type and data are looked at. Rules from the spec's spec.md and formats/json-format.md.
import { WebshopError } from '../errors.js';

// A String of the CloudEvents type system: no control characters, no noncharacters, no unpaired surrogates
// (ajv compiles patterns with the `u` flag, so a proper surrogate pair is one code point and passes).
const supplementaryNoncharacters = Array.from({ length: 16 }, (_, index) => {
  const plane = (index + 1).toString(16);
  return `\\u{${plane}FFFE}\\u{${plane}FFFF}`;
}).join('');
const stringCharacters = `^[^\\u0000-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF\\uD800-\\uDFFF${supplementaryNoncharacters}]*$`;
const nonEmptyString = { type: 'string', minLength: 1, pattern: stringCharacters } as const;

// RFC 2046 `type/subtype` with optional parameters; RFC 4648 base64 with padding.
const token = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const mediaType = `^${token}/${token}\\s*(;.*)?$`;
const base64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/** The names a member of the JSON object may have: attribute names are lower-case a-z and 0-9 only. */
const memberName = '^(?:[a-z0-9]+|data_base64)$';

/** What each pattern of the schema means, for error messages: the patterns themselves are unreadable. */
export const patternMeanings: ReadonlyMap<string, string> = new Map([
  [stringCharacters, 'must not hold control characters, noncharacters or unpaired surrogates'],
  [mediaType, 'must be a media type (RFC 2046)'],
  [base64, 'must be base64 (RFC 4648)'],
]);

/**
 * Every CloudEvents 1.0 event in the JSON format. Extensions may have any valid name and a value of an
 * attribute type (in JSON: a string, a boolean or a 32-bit integer). Null attributes must be removed first:
 * the format says a null attribute is an absent one.
 */
export const cloudEventSchema = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type'],
  propertyNames: { pattern: memberName },
  properties: {
    specversion: { const: '1.0' },
    id: nonEmptyString,
    source: { type: 'string', minLength: 1, format: 'uri-reference' },
    type: nonEmptyString,
    datacontenttype: { type: 'string', pattern: mediaType },
    dataschema: { type: 'string', minLength: 1, format: 'uri' },
    subject: nonEmptyString,
    time: { type: 'string', format: 'date-time' },
    // The shop's extension: when the order was created (its order_created event's time), carried by every later event.
    ordertime: { type: 'string', format: 'date-time' },
    // Any JSON value, null included.
    data: true,
    data_base64: { type: 'string', pattern: base64 },
  },
  additionalProperties: {
    type: ['string', 'boolean', 'integer'],
    pattern: stringCharacters,
    minimum: -2_147_483_648,
    maximum: 2_147_483_647,
  },
  // `data` and `data_base64` are mutually exclusive.
  dependencies: { data_base64: { properties: { data: false } } },
} as const;

/** The event without its null attributes (in JSON, null means absent); the same object when it has none. */
export function withoutNullAttributes(event: Record<string, unknown>): Record<string, unknown> {
  // Events almost never hold a null attribute: looking costs less than copying every event.
  let hasNull = false;
  for (const name in event) if (event[name] === null && name !== 'data') hasNull = true;
  if (!hasNull) return event;
  return Object.fromEntries(Object.entries(event).filter(([name, value]) => value !== null || name === 'data'));
}

/**
 * True when `datacontenttype` says the data is JSON: absent, or `*\/json` or `*\/*+json` without its parameters.
 * @example isJsonContentType('application/cloudevents+json; charset=utf-8') // true
 */
export function isJsonContentType(datacontenttype: string | undefined): boolean {
  if (datacontenttype === undefined || datacontenttype === 'application/json') return true; // every shop event
  const subtype = datacontenttype.split(';')[0].trim().split('/')[1]?.toLowerCase() ?? '';
  return subtype === 'json' || subtype.endsWith('+json');
}

/**
 * The data of a valid envelope as JSON: `data` as it is, or `data_base64` decoded. Throws SCHEMA_VIOLATION when
 * the content type is not JSON or data_base64 does not hold JSON: a valid CloudEvent the shop cannot read.
 */
export function jsonData(event: {
  type: string;
  datacontenttype?: string;
  data?: unknown;
  data_base64?: string;
}): unknown {
  if (!isJsonContentType(event.datacontenttype)) {
    throw new WebshopError('SCHEMA_VIOLATION', `${event.type} data must be JSON, not ${event.datacontenttype}`);
  }
  if (event.data_base64 === undefined) return event.data;
  try {
    return JSON.parse(Buffer.from(event.data_base64, 'base64').toString('utf8'));
  } catch {
    throw new WebshopError('SCHEMA_VIOLATION', `${event.type} data_base64 does not hold JSON`);
  }
}
