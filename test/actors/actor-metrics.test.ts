// Unit tests of src/actors/actor-metrics.ts: outcome labels from event types, what a committed batch records,
// the retries counted as the policy decides them, and timed commits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countingRetries, outcomeOf, recordOutcomes, timedCommit } from '../../src/actors/actor-metrics.js';
import { createRetryPolicy } from '../../src/actors/retry-policy.js';
import { createMetrics } from '../../src/metrics.js';
import { sampleValue } from '../promtool.js';

const settings = { retryAttempts: 2, retryBaseMs: 10, retryMaxMs: 100 };

test('the outcome is the last word of the output event type, with notification.sent read as notified', () => {
  assert.equal(outcomeOf([{ type: 'webshop.payment.completed' }]), 'completed');
  assert.equal(outcomeOf([{ type: 'webshop.payment.failed' }]), 'failed');
  assert.equal(outcomeOf([{ type: 'webshop.order.shipped' }]), 'shipped');
  assert.equal(outcomeOf([{ type: 'webshop.notification.sent' }]), 'notified');
  assert.equal(outcomeOf([]), 'handled');
});

test('a committed batch counts each outcome, each dead letter by code, and the age of handled events', async () => {
  const metrics = createMetrics();
  const now = new Date('2025-01-01T00:00:02.500Z');
  recordOutcomes(
    metrics.actor('payment'),
    [
      { outcome: 'completed', orderTime: '2025-01-01T00:00:00.000Z' },
      { outcome: 'duplicate_skipped' },
      { outcome: 'dead_lettered', code: 'INVALID_JSON' },
    ],
    now,
  );
  const text = await metrics.registry.metrics();
  const processed = 'webshop_actor_events_processed_total{actor="payment",outcome=';
  assert.equal(sampleValue(text, `${processed}"completed"}`), 1);
  assert.equal(sampleValue(text, `${processed}"duplicate_skipped"}`), 1);
  assert.equal(sampleValue(text, `${processed}"dead_lettered"}`), 1);
  assert.equal(sampleValue(text, 'webshop_actor_dead_letters_total{actor="payment",code="INVALID_JSON"}'), 1);
  assert.equal(sampleValue(text, 'webshop_actor_event_age_seconds_sum{actor="payment"}'), 2.5);
  assert.equal(sampleValue(text, 'webshop_actor_event_age_seconds_count{actor="payment"}'), 1);
});

test('retries are counted when the policy decides one, and a dead letter is no retry', async () => {
  const metrics = createMetrics();
  const policy = countingRetries(createRetryPolicy(settings), metrics.actor('payment'));
  assert.equal(policy.afterHandlerFailure('0/1', true, false).kind, 'retry');
  assert.equal(policy.afterHandlerFailure('0/1', true, false).kind, 'dead-letter');
  assert.equal(policy.afterHandlerFailure('0/2', false, false).kind, 'dead-letter');
  assert.equal(policy.afterBatchFailure(0), 10);
  policy.batchCommitted(0);
  assert.equal(policy.afterBatchFailure(0), 10);
  const text = await metrics.registry.metrics();
  assert.equal(sampleValue(text, 'webshop_actor_retries_total{actor="payment",kind="handler"}'), 1);
  assert.equal(sampleValue(text, 'webshop_actor_retries_total{actor="payment",kind="transaction"}'), 2);
});

test('a commit is timed by its result and its failure passes through', async () => {
  const metrics = createMetrics();
  const actor = metrics.actor('shipping');
  await timedCommit(() => Promise.resolve(), actor)();
  const failing = timedCommit(() => Promise.reject(new Error('broker away')), actor);
  await assert.rejects(failing(), /broker away/);
  const text = await metrics.registry.metrics();
  const series = 'webshop_actor_transaction_commit_duration_seconds_count{actor="shipping",result=';
  assert.equal(sampleValue(text, `${series}"committed"}`), 1);
  assert.equal(sampleValue(text, `${series}"failed"}`), 1);
});
