// Unit tests of src/errors.ts: codes, the retriable flag, and what an HTTP error lets the client see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError, WebshopError, describeError, errorCodes, invalidMessageCodes } from '../src/errors.js';

test('a WebshopError carries its code, message and cause, and is not retriable unless told', () => {
  const cause = new Error('socket closed');
  const error = new WebshopError('KAFKA_UNAVAILABLE', 'broker away', { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'WebshopError');
  assert.equal(error.code, 'KAFKA_UNAVAILABLE');
  assert.equal(error.message, 'broker away');
  assert.equal(error.cause, cause);
  assert.equal(error.retriable, false);
  assert.equal(new WebshopError('KAFKA_UNAVAILABLE', 'broker away', { retriable: true }).retriable, true);
});

test('client errors are shown to the client and server errors are not, unless told otherwise', () => {
  assert.equal(new HttpError(400, 'ORDER_INVALID', 'bad').expose, true);
  assert.equal(new HttpError(404, 'NOT_FOUND', 'nothing here').expose, true);
  assert.equal(new HttpError(500, 'INTERNAL', 'boom').expose, false);
  assert.equal(new HttpError(503, 'KAFKA_UNAVAILABLE', 'away', { expose: true }).expose, true);
});

test('an HttpError keeps its status, field errors and order id and is still a WebshopError', () => {
  const error = new HttpError(400, 'ORDER_INVALID', 'Invalid order', {
    errors: [{ field: 'Amount', message: 'is required' }],
    orderId: 'o-1',
  });
  assert.ok(error instanceof WebshopError);
  assert.equal(error.status, 400);
  assert.deepEqual(error.errors, [{ field: 'Amount', message: 'is required' }]);
  assert.equal(error.orderId, 'o-1');
});

test('describeError keeps the code and retriable flag of a WebshopError', () => {
  assert.deepEqual(describeError(new WebshopError('UNKNOWN_TYPE', 'what is this', { retriable: false })), {
    code: 'UNKNOWN_TYPE',
    message: 'what is this',
    retriable: false,
  });
  assert.equal(describeError(new WebshopError('KAFKA_UNAVAILABLE', 'away', { retriable: true })).retriable, true);
});

test('describeError calls anything else INTERNAL and not retriable', () => {
  assert.deepEqual(describeError(new TypeError('x is undefined')), {
    code: 'INTERNAL',
    message: 'x is undefined',
    retriable: false,
  });
  assert.deepEqual(describeError('plain string'), { code: 'INTERNAL', message: 'plain string', retriable: false });
});

test('the dead-letter codes of invalid messages are the four the contract names, all known codes', () => {
  assert.deepEqual([...invalidMessageCodes], ['INVALID_JSON', 'INVALID_ENVELOPE', 'UNKNOWN_TYPE', 'SCHEMA_VIOLATION']);
  for (const code of invalidMessageCodes) assert.ok((errorCodes as readonly string[]).includes(code), code);
});
