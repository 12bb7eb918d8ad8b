// Unit tests of src/order/order-request.ts: which POST /order bodies are accepted, and how each problem
// is reported by the name the client sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FieldError, HttpError } from '../../src/errors.js';
import { parseOrderRequest } from '../../src/order/order-request.js';

const newId = (): string => 'generated-id';

/** The field errors of a body that must be rejected with a 400. */
function rejectionOf(body: unknown): FieldError[] {
  try {
    parseOrderRequest(body, newId);
  } catch (error) {
    assert.ok(error instanceof HttpError, `not an HttpError: ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'ORDER_INVALID');
    assert.equal(error.expose, true);
    assert.ok(error.errors && error.errors.length > 0, 'no field errors');
    return error.errors;
  }
  return assert.fail(`accepted ${JSON.stringify(body)}`);
}

const fieldsOf = (body: unknown): string[] => rejectionOf(body).map((error) => error.field);

test('OrderId and Amount as the original client sends them are accepted', () => {
  assert.deepEqual(parseOrderRequest({ OrderId: '123', Amount: 50 }, newId), { orderId: '123', amount: 50 });
});

test('camelCase orderId and amount are accepted', () => {
  assert.deepEqual(parseOrderRequest({ orderId: 'abc-1_X', amount: 19.99 }, newId), {
    orderId: 'abc-1_X',
    amount: 19.99,
  });
});

test('field names in any letter case are accepted', () => {
  for (const body of [
    { ORDERID: 'o-1', AMOUNT: 1 },
    { orderid: 'o-1', amount: 1 },
    { oRdErId: 'o-1', aMoUnT: 1 },
  ]) {
    assert.deepEqual(parseOrderRequest(body, newId), { orderId: 'o-1', amount: 1 }, JSON.stringify(body));
  }
});

test('an order without OrderId gets a generated id', () => {
  assert.deepEqual(parseOrderRequest({ Amount: 50 }, newId), { orderId: 'generated-id', amount: 50 });
});

test('the default generated id is a fresh UUID', () => {
  const first = parseOrderRequest({ Amount: 50 });
  const second = parseOrderRequest({ Amount: 50 });
  assert.match(first.orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(first.orderId, second.orderId);
});

test('amounts at the edges of the range are accepted', () => {
  for (const amount of [0.01, 0.07, 19.99, 300, 999999.99, 1_000_000]) {
    assert.equal(parseOrderRequest({ Amount: amount }, newId).amount, amount);
  }
});

test('an OrderId of exactly 64 characters is accepted', () => {
  const orderId = 'a'.repeat(64);
  assert.equal(parseOrderRequest({ OrderId: orderId, Amount: 1 }, newId).orderId, orderId);
});

test('a body without Amount is rejected naming Amount', () => {
  assert.deepEqual(rejectionOf({ OrderId: '123' }), [{ field: 'Amount', message: 'is required' }]);
  assert.deepEqual(fieldsOf({}), ['Amount']);
});

test('an unknown field is rejected by the name the client sent', () => {
  assert.deepEqual(rejectionOf({ Amount: 5, Coupon: 'FREE' }), [{ field: 'Coupon', message: 'is not a known field' }]);
});

test('Amount as a string is rejected naming Amount', () => {
  assert.deepEqual(rejectionOf({ OrderId: '1', Amount: '50' }), [{ field: 'Amount', message: 'must be a number' }]);
});

test('wrong types are each named by the name the client sent', () => {
  assert.deepEqual(rejectionOf({ orderId: 123, amount: true }), [
    { field: 'orderId', message: 'must be a string' },
    { field: 'amount', message: 'must be a number' },
  ]);
  assert.deepEqual(fieldsOf({ OrderId: ['1'], Amount: { value: 1 } }), ['OrderId', 'Amount']);
});

test('Amount 0 and negative amounts are rejected as not greater than 0', () => {
  for (const amount of [0, -1, -0.01]) {
    assert.deepEqual(rejectionOf({ Amount: amount }), [{ field: 'Amount', message: 'must be greater than 0' }]);
  }
});

test('Amount above 1000000 is rejected', () => {
  assert.deepEqual(rejectionOf({ Amount: 1_000_000.01 }), [{ field: 'Amount', message: 'must be at most 1000000' }]);
});

test('Amount with three decimals is rejected', () => {
  assert.deepEqual(rejectionOf({ amount: 1.001 }), [{ field: 'amount', message: 'must have at most 2 decimals' }]);
});

test('OrderId of 65 characters, bad characters or empty is rejected naming OrderId', () => {
  for (const orderId of ['a'.repeat(65), 'order 1', 'ørder', 'o/1', '']) {
    assert.deepEqual(fieldsOf({ OrderId: orderId, Amount: 5 }), ['OrderId'], JSON.stringify(orderId));
  }
  assert.deepEqual(rejectionOf({ orderid: 'a;b', Amount: 5 }), [
    { field: 'orderid', message: 'must be 1-64 letters, digits, "-" or "_"' },
  ]);
});

test('a field sent twice in different letter cases is rejected naming the repeat', () => {
  assert.deepEqual(rejectionOf({ OrderId: 'a', orderId: 'b', Amount: 5 }), [
    { field: 'orderId', message: 'repeats OrderId' },
  ]);
  assert.deepEqual(fieldsOf({ Amount: 5, amount: 6 }), ['amount']);
});

test('every problem of a body is listed at once', () => {
  assert.deepEqual(fieldsOf({ OrderId: 'bad id', Amount: 0, Extra: 1 }).sort(), ['Amount', 'Extra', 'OrderId']);
});

test('a body that is not a JSON object is rejected as (body)', () => {
  for (const body of [[], [{ Amount: 5 }], 42, 'order', null, true]) {
    assert.deepEqual(rejectionOf(body), [{ field: '(body)', message: 'must be a JSON object' }], JSON.stringify(body));
  }
});

test('names of Object.prototype such as constructor and __proto__ are unknown fields, not accepted', () => {
  assert.deepEqual(fieldsOf({ Amount: 5, constructor: 1 }), ['constructor']);
  assert.deepEqual(fieldsOf(JSON.parse('{"Amount": 5, "__proto__": {"x": 1}}')), ['__proto__']);
});

test('OrderId null is rejected as not a string rather than replaced by a generated id', () => {
  assert.deepEqual(rejectionOf({ OrderId: null, Amount: 5 }), [{ field: 'OrderId', message: 'must be a string' }]);
});
