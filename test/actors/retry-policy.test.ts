// Unit tests of the retry policy: attempts per message, failed batches per partition, and a stopping actor
// that leaves a failed message to the partition's next owner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetryPolicy, retryDelay } from '../../src/actors/retry-policy.js';

const settings = { retryAttempts: 3, retryBaseMs: 100, retryMaxMs: 250 };

test('the delay doubles from RETRY_BASE_MS with each attempt and stops at RETRY_MAX_MS', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((attempt) => retryDelay(settings, attempt)),
    [100, 200, 250, 250],
  );
});

test('a retriable failure is retried until the last attempt, which dead-letters the message with the count', () => {
  const retries = createRetryPolicy(settings);
  assert.deepEqual(retries.afterHandlerFailure('0/7', true, false), { kind: 'retry', attempt: 1, delayMs: 100 });
  assert.deepEqual(retries.afterHandlerFailure('0/7', true, false), { kind: 'retry', attempt: 2, delayMs: 200 });
  assert.deepEqual(retries.afterHandlerFailure('0/7', true, false), { kind: 'dead-letter', attempts: 3 });
  assert.deepEqual(
    retries.afterHandlerFailure('0/7', true, false),
    { kind: 'retry', attempt: 1, delayMs: 100 },
    'a dead-lettered message is forgotten',
  );
});

test('a failure that is not retriable dead-letters the message at once, counting the attempts before it', () => {
  const retries = createRetryPolicy(settings);
  assert.deepEqual(retries.afterHandlerFailure('1/0', false, false), { kind: 'dead-letter', attempts: 1 });
  retries.afterHandlerFailure('1/1', true, false);
  assert.deepEqual(retries.afterHandlerFailure('1/1', false, false), { kind: 'dead-letter', attempts: 2 });
});

test('messages count their attempts apart, and a success forgets the count', () => {
  const retries = createRetryPolicy(settings);
  retries.afterHandlerFailure('0/1', true, false);
  assert.deepEqual(retries.afterHandlerFailure('2/1', true, false), { kind: 'retry', attempt: 1, delayMs: 100 });
  retries.handled('0/1');
  assert.deepEqual(retries.afterHandlerFailure('0/1', true, false), { kind: 'retry', attempt: 1, delayMs: 100 });
});

test('a stopping actor leaves a retriable failure to the next owner, even at the last attempt', () => {
  const retries = createRetryPolicy(settings);
  retries.afterHandlerFailure('0/9', true, false);
  retries.afterHandlerFailure('0/9', true, false);
  assert.deepEqual(retries.afterHandlerFailure('0/9', true, true), { kind: 'left', attempt: 3 });
  assert.deepEqual(
    retries.afterHandlerFailure('0/8', false, true),
    { kind: 'dead-letter', attempts: 1 },
    'a failure that is not retriable is final, stopping or not',
  );
});

test('failed batches of a partition back off one after the other until a batch of it commits', () => {
  const retries = createRetryPolicy(settings);
  assert.deepEqual(
    [retries.afterBatchFailure(4), retries.afterBatchFailure(4), retries.afterBatchFailure(5)],
    [100, 200, 100],
  );
  retries.batchCommitted(4);
  assert.equal(retries.afterBatchFailure(4), 100);
  assert.equal(retries.afterBatchFailure(5), 200, 'another partition keeps its count');
});
