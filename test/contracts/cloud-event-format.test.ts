// Unit tests of the CloudEvents 1.0 JSON format rules in src/contracts/cloud-event-format.ts, seen through
// decodeEvent: what a valid event from any producer may look like, and which code each broken rule gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonContentType } from '../../src/contracts/cloud-event-format.js';
import { decodeEvent } from '../../src/contracts/envelope.js';
import { type ErrorCode, WebshopError } from '../../src/errors.js';

/** The smallest valid order.created event: the four required attributes and data. */
const minimal = {
  specversion: '1.0',
  id: 'A234-1234-1234',
  source: '/mycontext',
  type: 'webshop.order.created',
  data: { orderId: 'o-1', amount: 50 },
};

function value(change: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ ...minimal, ...change }));
}

function decode(change: Record<string, unknown> = {}) {
  return decodeEvent(value(change), ['webshop.order.created']);
}

function assertRejected(change: Record<string, unknown>, code: ErrorCode, message?: RegExp): void {
  assert.throws(
    () => decode(change),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError, `not a WebshopError: ${String(error)}`);
      assert.equal(error.code, code, `${JSON.stringify(change)}: ${error.message}`);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

test('an event with only specversion, id, source, type and data is accepted', () => {
  assert.deepEqual(decode(), minimal);
});

test('optional attributes written as null count as absent', () => {
  const event = decode({ subject: null, time: null, datacontenttype: null, dataschema: null, correlationid: null });
  assert.deepEqual(event, minimal);
});

test('each missing or null required attribute is INVALID_ENVELOPE naming it', () => {
  for (const name of ['specversion', 'id', 'source', 'type']) {
    assertRejected({ [name]: undefined }, 'INVALID_ENVELOPE', new RegExp(name));
    assertRejected({ [name]: null }, 'INVALID_ENVELOPE', new RegExp(name));
  }
});

test('an empty id, source, type or subject is INVALID_ENVELOPE', () => {
  for (const name of ['id', 'source', 'type', 'subject']) assertRejected({ [name]: '' }, 'INVALID_ENVELOPE');
});

test('a spec version other than 1.0 is INVALID_ENVELOPE', () => {
  assertRejected({ specversion: '0.3' }, 'INVALID_ENVELOPE', /specversion/);
  assertRejected({ specversion: 1 }, 'INVALID_ENVELOPE', /specversion/);
});

test('strings with control characters or unpaired surrogates are INVALID_ENVELOPE', () => {
  assertRejected({ id: 'a\nb' }, 'INVALID_ENVELOPE', /id/);
  assertRejected({ type: 'webshop.order.created\u0085' }, 'INVALID_ENVELOPE', /type/);
  assertRejected({ subject: '\uDEAD' }, 'INVALID_ENVELOPE', /subject/);
  assert.equal(decode({ id: 'emoji-\uD83D\uDE00' }).id, 'emoji-😀');
});

test('a source that is not a URI reference is INVALID_ENVELOPE', () => {
  assertRejected({ source: 'has spaces' }, 'INVALID_ENVELOPE', /source/);
  for (const source of [
    'https://github.com/cloudevents',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    '1-555-123-4567',
  ]) {
    assert.equal(decode({ source }).source, source);
  }
});

test('a time in RFC 3339 form is accepted with any offset and precision', () => {
  for (const time of ['2018-04-05T17:31:00Z', '2018-04-26T14:48:09+02:00', '2025-03-04T05:06:07.089123456Z']) {
    assert.equal(decode({ time }).time, time);
  }
});

test('a time that is not RFC 3339 is INVALID_ENVELOPE', () => {
  for (const time of ['yesterday', '2025-13-45T99:00:00Z', '2018-04-05T17:31:00', '2018-04-05', 1522949460]) {
    assertRejected({ time }, 'INVALID_ENVELOPE', /time/);
  }
});

test('a dataschema must be an absolute URI', () => {
  assert.equal(decode({ dataschema: 'https://example.com/order.json' }).dataschema, 'https://example.com/order.json');
  assertRejected({ dataschema: '/schemas/order.json' }, 'INVALID_ENVELOPE', /dataschema/);
  assertRejected({ dataschema: '' }, 'INVALID_ENVELOPE', /dataschema/);
});

test('unknown extensions of every attribute type are kept on the decoded event', () => {
  const extensions = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', sampled: true, seq: -5 };
  assert.deepEqual(decode(extensions), { ...minimal, ...extensions });
});

test('an extension name that is not lower-case a-z and 0-9 is INVALID_ENVELOPE naming it', () => {
  for (const name of ['traceParent', 'trace_parent', 'trace-parent', 'ü']) {
    assertRejected({ [name]: 'x' }, 'INVALID_ENVELOPE', new RegExp(`"${name}"`));
  }
});

test('an extension value that is not a string, boolean or 32-bit integer is INVALID_ENVELOPE', () => {
  for (const bad of [{ nested: 'x' }, ['x'], 1.5, 2_147_483_648, 'tab\there']) {
    assertRejected({ myext: bad }, 'INVALID_ENVELOPE', /myext/);
  }
  assert.equal((decode({ myext: -2_147_483_648 }) as unknown as Record<string, unknown>).myext, -2_147_483_648);
});

test('a datacontenttype that is not a media type is INVALID_ENVELOPE', () => {
  assertRejected({ datacontenttype: 'json' }, 'INVALID_ENVELOPE', /datacontenttype/);
});

test('a JSON datacontenttype, with parameters or a +json suffix, is accepted', () => {
  for (const type of ['application/json', 'Application/JSON', 'text/json', 'application/ld+json; charset=utf-8']) {
    assert.equal(decode({ datacontenttype: type }).datacontenttype, type);
  }
});

test('data that is not JSON by its datacontenttype is SCHEMA_VIOLATION', () => {
  assertRejected({ datacontenttype: 'text/plain' }, 'SCHEMA_VIOLATION', /text\/plain/);
  assertRejected({ datacontenttype: 'application/xml', data: '<order/>' }, 'SCHEMA_VIOLATION', /application\/xml/);
});

test('JSON data in data_base64 is decoded and validated like data', () => {
  const data_base64 = Buffer.from(JSON.stringify({ orderId: 'o-1', amount: 50 })).toString('base64');
  assert.deepEqual(decode({ data: undefined, data_base64 }), minimal);
  const wrong = Buffer.from(JSON.stringify({ orderId: 'o-1' })).toString('base64');
  assertRejected({ data: undefined, data_base64: wrong }, 'SCHEMA_VIOLATION', /amount/);
  assertRejected({ data: undefined, data_base64: Buffer.from('<xml/>').toString('base64') }, 'SCHEMA_VIOLATION');
});

test('data_base64 that is not base64, or beside data, is INVALID_ENVELOPE', () => {
  assertRejected({ data: undefined, data_base64: 'not base64!' }, 'INVALID_ENVELOPE', /data_base64/);
  const data_base64 = Buffer.from(JSON.stringify(minimal.data)).toString('base64');
  assertRejected({ data_base64 }, 'INVALID_ENVELOPE', /data must be absent beside data_base64/);
});

test('an event without data, or with null data, is SCHEMA_VIOLATION', () => {
  assertRejected({ data: undefined }, 'SCHEMA_VIOLATION', /data/);
  assertRejected({ data: null }, 'SCHEMA_VIOLATION', /data/);
  assertRejected({ data: 'not an object' }, 'SCHEMA_VIOLATION', /data/);
});

test('a valid envelope of a type the actor does not know is UNKNOWN_TYPE', () => {
  assertRejected({ type: 'com.example.someevent' }, 'UNKNOWN_TYPE', /com\.example\.someevent/);
});

test('isJsonContentType treats an absent content type as JSON', () => {
  assert.equal(isJsonContentType(undefined), true);
  assert.equal(isJsonContentType('application/cloudevents+json'), true);
  assert.equal(isJsonContentType('application/jsonl'), false);
  assert.equal(isJsonContentType('application/octet-stream'), false);
});
