// Unit tests of src/contracts/envelope.ts: building CloudEvents, and decoding message bytes with one
// error code per kind of failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvent, decodeEvent, encodeEvent, orderTimeOf } from '../../src/contracts/envelope.js';
import { type ErrorCode, WebshopError } from '../../src/errors.js';

const time = new Date('2025-03-04T05:06:07.089Z');
const origin = { source: 'webshop/order', correlationId: 'req-1', id: 'event-1', time };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function orderCreated(amount = 50, orderId = 'o-1') {
  return createEvent('webshop.order.created', { orderId, amount }, origin);
}

/** The bytes of `event` as JSON, with `change` applied to a plain copy first. */
function bytes(event: object, change: (copy: Record<string, unknown>) => void = () => undefined): Buffer {
  const copy = structuredClone(event) as Record<string, unknown>;
  change(copy);
  return Buffer.from(JSON.stringify(copy));
}

function assertRejected(value: Buffer | null, code: ErrorCode, message?: RegExp): void {
  assert.throws(
    () => decodeEvent(value, ['webshop.order.created']),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError, `not a WebshopError: ${String(error)}`);
      assert.equal(error.code, code, error.message);
      assert.equal(error.retriable, false);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

test('createEvent builds a CloudEvents 1.0 event whose subject is the order id', () => {
  assert.deepEqual(orderCreated(), {
    specversion: '1.0',
    id: 'event-1',
    source: 'webshop/order',
    type: 'webshop.order.created',
    time: '2025-03-04T05:06:07.089Z',
    subject: 'o-1',
    datacontenttype: 'application/json',
    correlationid: 'req-1',
    ordertime: '2025-03-04T05:06:07.089Z',
    data: { orderId: 'o-1', amount: 50 },
  });
});

test("an event's ordertime is the order's creation time it is given, and orderTimeOf falls back to its time", () => {
  const later = createEvent(
    'webshop.order.shipped',
    { orderId: 'o-1', shipmentId: 's-1' },
    { source: 'webshop/shipping', correlationId: 'req-1', time: new Date('2025-03-04T05:06:09Z'), orderTime: 'T0' },
  );
  assert.equal(later.ordertime, 'T0');
  assert.equal(orderTimeOf(later), 'T0');
  assert.equal(orderTimeOf({ time: '2025-03-04T05:06:09.000Z' }), '2025-03-04T05:06:09.000Z');
  assert.equal(orderTimeOf({}), undefined);
});

test('an ordertime that is not an RFC 3339 date-time is an invalid envelope', () => {
  const event = { ...orderCreated(), ordertime: 'yesterday' };
  assert.throws(() => decodeEvent(encodeEvent(event), ['webshop.order.created']), { code: 'INVALID_ENVELOPE' });
});

test('createEvent gives a fresh UUID id and the current time in ISO form when none are given', () => {
  const before = Date.now();
  const first = createEvent(
    'webshop.order.shipped',
    { orderId: 'o-2', shipmentId: 's-1' },
    {
      source: 'webshop/shipping',
      correlationId: 'req-2',
    },
  );
  const second = createEvent(
    'webshop.order.shipped',
    { orderId: 'o-2', shipmentId: 's-1' },
    {
      source: 'webshop/shipping',
      correlationId: 'req-2',
    },
  );
  assert.match(first.id, uuid);
  assert.notEqual(first.id, second.id);
  assert.equal(new Date(first.time).toISOString(), first.time);
  assert.ok(Date.parse(first.time) >= before - 1 && Date.parse(first.time) <= Date.now() + 1);
  assert.equal(first.subject, 'o-2');
  assert.equal(first.correlationid, 'req-2');
  assert.equal(first.source, 'webshop/shipping');
});

test('an encoded event decodes to the same event', () => {
  const event = orderCreated();
  assert.deepEqual(decodeEvent(encodeEvent(event), ['webshop.order.created']), event);
});

test('every event type round-trips when it is accepted', () => {
  const events = [
    createEvent('webshop.payment.completed', { orderId: 'o-1', amount: 50, paymentId: 'p-1' }, origin),
    createEvent(
      'webshop.payment.failed',
      {
        orderId: 'o-1',
        amount: 350,
        reason: 'insufficient_funds',
        message: 'Payment failed due to insufficient funds',
      },
      origin,
    ),
    createEvent('webshop.order.shipped', { orderId: 'o-1', shipmentId: 's-1' }, origin),
    createEvent('webshop.notification.sent', { orderId: 'o-1', channel: 'email', message: 'sorry' }, origin),
  ];
  for (const event of events) assert.deepEqual(decodeEvent(encodeEvent(event), [event.type]), event);
});

test('extension attributes other than correlationid are allowed, as CloudEvents permits', () => {
  const value = bytes(orderCreated(), (copy) => {
    copy.traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  });
  assert.equal(decodeEvent(value, ['webshop.order.created']).subject, 'o-1');
});

test('a value that is not JSON is INVALID_JSON', () => {
  assertRejected(Buffer.from('{"specversion": "1.0",'), 'INVALID_JSON', /not JSON/);
  assertRejected(Buffer.from([0xff, 0xfe, 0x00]), 'INVALID_JSON');
});

test('a null value (a tombstone) is INVALID_JSON', () => {
  assertRejected(null, 'INVALID_JSON');
});

test('JSON that is not an object is INVALID_ENVELOPE', () => {
  assertRejected(Buffer.from('null'), 'INVALID_ENVELOPE');
  assertRejected(Buffer.from('[1,2]'), 'INVALID_ENVELOPE');
  assertRejected(Buffer.from('"order"'), 'INVALID_ENVELOPE');
});

test('each missing required CloudEvents attribute is INVALID_ENVELOPE naming it', () => {
  for (const name of ['specversion', 'id', 'source', 'type']) {
    assertRejected(
      bytes(orderCreated(), (copy) => delete copy[name]),
      'INVALID_ENVELOPE',
      new RegExp(name),
    );
  }
});

test('an event without the optional time, subject, datacontenttype or correlationid is accepted', () => {
  for (const name of ['time', 'subject', 'datacontenttype', 'correlationid']) {
    const event = decodeEvent(
      bytes(orderCreated(), (copy) => delete copy[name]),
      ['webshop.order.created'],
    );
    assert.equal(name in event, false);
    assert.deepEqual(event.data, { orderId: 'o-1', amount: 50 });
  }
});

test('a bad time or spec version is INVALID_ENVELOPE', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.time = 'yesterday')),
    'INVALID_ENVELOPE',
    /time/,
  );
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.time = '2025-13-45T99:00:00Z')),
    'INVALID_ENVELOPE',
  );
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.specversion = '0.3')),
    'INVALID_ENVELOPE',
  );
});

test('data that is not an object is SCHEMA_VIOLATION', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.data = 'not an object')),
    'SCHEMA_VIOLATION',
  );
});

test('a type the shop does not know is UNKNOWN_TYPE', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.type = 'webshop.order.deleted')),
    'UNKNOWN_TYPE',
    /webshop\.order\.deleted/,
  );
});

test('a known type the actor does not accept is UNKNOWN_TYPE', () => {
  const shipped = createEvent('webshop.order.shipped', { orderId: 'o-1', shipmentId: 's-1' }, origin);
  assertRejected(encodeEvent(shipped), 'UNKNOWN_TYPE', /webshop\.order\.shipped/);
});

test('data that breaks its schema is SCHEMA_VIOLATION', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.data = { orderId: 'o-1', amount: '50' })),
    'SCHEMA_VIOLATION',
    /amount/,
  );
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.data = { orderId: 'o-1' })),
    'SCHEMA_VIOLATION',
    /amount/,
  );
  assertRejected(encodeEvent(orderCreated(-5)), 'SCHEMA_VIOLATION');
});

test('an extra data field is SCHEMA_VIOLATION', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.data = { orderId: 'o-1', amount: 50, coupon: 'FREE' })),
    'SCHEMA_VIOLATION',
  );
});

test('a subject that differs from data.orderId is SCHEMA_VIOLATION', () => {
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.subject = 'o-2')),
    'SCHEMA_VIOLATION',
    /subject/,
  );
  assertRejected(
    bytes(orderCreated(), (copy) => (copy.subject = 'has spaces')),
    'SCHEMA_VIOLATION',
    /subject/,
  );
});

test('amounts with two decimals such as 0.07 and 19.99 pass despite floating point', () => {
  for (const amount of [0.07, 0.29, 19.99, 300.01, 999999.99, 1_000_000]) {
    assert.equal(decodeEvent(encodeEvent(orderCreated(amount)), ['webshop.order.created']).data.amount, amount);
  }
});

test('an amount with three decimals such as 1.001 is SCHEMA_VIOLATION', () => {
  assertRejected(encodeEvent(orderCreated(1.001)), 'SCHEMA_VIOLATION', /amount/);
  assertRejected(encodeEvent(orderCreated(1_000_000.01)), 'SCHEMA_VIOLATION', /amount/);
});
