// Unit tests of src/metrics.ts: what each recording call exposes, in a text format that promtool passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics, sharedMetrics } from '../src/metrics.js';
import { gaveUpOn } from '../src/unanswered.js';
import { promtoolProblems, sampleValue } from './promtool.js';

test('every shop metric and the process metrics pass promtool check metrics once recorded', async () => {
  const metrics = createMetrics();
  metrics.order.request('POST', '/order', 201, 0.004);
  metrics.order.brokerAck('acknowledged', 0.002);
  metrics.order.brokerAck('failed', 5);
  const payment = metrics.actor('payment');
  payment.processed('completed');
  payment.deadLettered('INVALID_JSON');
  payment.retried('handler');
  payment.committed('committed', 0.02);
  payment.batch(12);
  payment.rebalanced('assigned');
  payment.consumerReplaced();
  payment.eventAge(0.3);
  payment.lag([{ topic: 'order_created', partition: 0, lag: 4 }]);
  const text = await metrics.registry.metrics();
  assert.equal(await promtoolProblems(text), '');
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  for (const name of [
    'webshop_http_requests_total',
    'webshop_http_request_duration_seconds',
    'webshop_orders_accepted_total',
    'webshop_broker_ack_duration_seconds',
    'webshop_actor_events_processed_total',
    'webshop_actor_dead_letters_total',
    'webshop_actor_retries_total',
    'webshop_actor_transaction_commit_duration_seconds',
    'webshop_actor_batch_messages',
    'webshop_actor_rebalances_total',
    'webshop_actor_consumer_replacements_total',
    'webshop_actor_event_age_seconds',
    'webshop_actor_consumer_lag_messages',
    'webshop_kafka_calls_unanswered',
  ]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  }
});

test('an acknowledged order counts as accepted and a failed acknowledgement does not', async () => {
  const metrics = createMetrics();
  metrics.order.brokerAck('acknowledged', 0.002);
  metrics.order.brokerAck('failed', 5);
  const text = await metrics.registry.metrics();
  assert.equal(sampleValue(text, 'webshop_orders_accepted_total'), 1);
  assert.equal(sampleValue(text, 'webshop_broker_ack_duration_seconds_count{outcome="failed"}'), 1);
});

test('the lag of partitions no longer held disappears with the next report', async () => {
  const metrics = createMetrics();
  const shipping = metrics.actor('shipping');
  shipping.lag([
    { topic: 'payment_completed', partition: 0, lag: 3 },
    { topic: 'payment_completed', partition: 1, lag: 0 },
  ]);
  shipping.lag([{ topic: 'payment_completed', partition: 1, lag: 2 }]);
  const text = await metrics.registry.metrics();
  const series = 'webshop_actor_consumer_lag_messages{actor="shipping",topic="payment_completed",partition="';
  assert.equal(sampleValue(text, `${series}0"}`), undefined);
  assert.equal(sampleValue(text, `${series}1"}`), 2);
});

test('every process exposes how many Kafka calls it gave up on are still unanswered', async () => {
  const metrics = createMetrics();
  const before = sampleValue(await metrics.registry.metrics(), 'webshop_kafka_calls_unanswered');
  assert.equal(typeof before, 'number');
  gaveUpOn(new Promise(() => undefined));
  assert.equal(sampleValue(await metrics.registry.metrics(), 'webshop_kafka_calls_unanswered'), before! + 1);
});

test('the shared registry is one per process', () => {
  assert.equal(sharedMetrics(), sharedMetrics());
  assert.notEqual(createMetrics().registry, sharedMetrics().registry);
});

test('an actor process exposes no order metrics and the order service no actor metrics', async () => {
  const actorSide = createMetrics();
  actorSide.actor('payment');
  const orderSide = createMetrics();
  orderSide.order.request('GET', '/healthz', 200, 0.001);
  assert.doesNotMatch(await actorSide.registry.metrics(), /webshop_(http|orders|broker)_/);
  assert.doesNotMatch(await orderSide.registry.metrics(), /webshop_actor_/);
});
