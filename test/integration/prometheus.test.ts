// The metrics as Prometheus sees them: a real server scrapes the order service and the four actors (each with its
// own registry, as in their own processes) while orders flow; its HTTP API answers lag and throughput, and every
// query of the Grafana dashboard of `make up OBS=1`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { createProducer } from '../../src/kafka/client.js';
import { produce } from '../../src/kafka/produce.js';
import { createMetrics } from '../../src/metrics.js';
import { panelQueries } from '../dashboard.js';
import { postOrder, waitFor } from '../helpers.js';
import { promtoolProblems } from '../promtool.js';
import { startPrometheus, type PrometheusServer, type Sample } from './prometheus-server.js';
import { createShop } from './shop.js';

const paid = 12;
const unpaid = 4;

/** Polls `expression` until `check` accepts its samples; returns them. */
async function until(
  prometheus: PrometheusServer,
  expression: string,
  check: (samples: Sample[]) => boolean,
): Promise<Sample[]> {
  let samples: Sample[] = [];
  await waitFor(
    `Prometheus to answer ${expression} as expected`,
    async () => check((samples = await prometheus.query(expression))),
    60000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; its last answer: ${JSON.stringify(samples)}`);
  });
  return samples;
}

const byLabel = (samples: Sample[], label: string): Record<string, number> =>
  Object.fromEntries(samples.map((sample) => [sample.metric[label]!, sample.value]));

test('a real Prometheus scrapes every service, reads throughput, outcomes and lag, and answers every dashboard panel', async (t) => {
  const shop = await createShop(t, { STATISTICS_INTERVAL_MS: '1000' });
  const actors = await Promise.all(
    [paymentActor, shippingActor, notificationActor, statusActor].map((actor) =>
      shop.startActor(actor, { metrics: createMetrics() }),
    ),
  );
  const order = await shop.startOrderService(createMetrics());
  const ports = {
    order: order.port,
    payment: actors[0]!.port,
    shipping: actors[1]!.port,
    notification: actors[2]!.port,
    status: actors[3]!.port,
  };
  const prometheus = await startPrometheus(t, ports);

  await until(prometheus, 'up == 1', (samples) => samples.length === 5);
  // Two waves: a counter's first sample is its baseline for rate(), so every series must exist before the second.
  const place = async (from: number, to: number) => {
    const orders = Array.from({ length: to - from }, (_, i) => from + i);
    const answers = await Promise.all([
      ...orders.map((i) => postOrder(order.url, { OrderId: `prom-paid-${i}`, Amount: 50 })),
      ...orders
        .filter((i) => i < unpaid)
        .map((i) => postOrder(order.url, { OrderId: `prom-unpaid-${i}`, Amount: 500 })),
    ]);
    assert.ok(answers.every((answer) => answer.status === 201));
  };
  await place(0, 1);
  await until(prometheus, 'webshop_actor_events_processed_total{actor!="status"}', (samples) => samples.length === 4);
  await place(1, paid);
  await waitFor('every order to reach its end', async () => {
    return (await shop.count('order_shipped')) === paid && (await shop.count('notification_sent')) === unpaid;
  });

  const accepted = await until(
    prometheus,
    'webshop_orders_accepted_total',
    (samples) => samples[0]?.value === paid + unpaid,
  );
  assert.equal(accepted[0]!.metric.job, 'order');
  const outcomes = await until(
    prometheus,
    'sum by (actor, outcome) (webshop_actor_events_processed_total{actor!="status"})',
    (samples) => samples.length === 4 && samples.reduce((sum, sample) => sum + sample.value, 0) === 2 * (paid + unpaid),
  );
  assert.deepEqual(
    Object.fromEntries(outcomes.map(({ metric, value }) => [`${metric.actor}/${metric.outcome}`, value])),
    { 'payment/completed': paid, 'payment/failed': unpaid, 'shipping/shipped': paid, 'notification/notified': unpaid },
  );
  const throughput = await until(
    prometheus,
    'sum by (actor) (rate(webshop_actor_events_processed_total{actor!="status"}[30s]))',
    (samples) => samples.length === 3 && samples.every((sample) => sample.value > 0),
  );
  assert.deepEqual(Object.keys(byLabel(throughput, 'actor')).sort(), ['notification', 'payment', 'shipping']);
  const requests = await until(
    prometheus,
    'sum by (route, status) (increase(webshop_http_requests_total{route="/order"}[1m]))',
    (samples) => samples.length === 1 && samples[0]!.value > 0,
  );
  assert.deepEqual(requests[0]!.metric, { route: '/order', status: '201' });

  // Payment's input is written without transactions: caught up, its lag is 0 on every partition it reports.
  const lag = await until(
    prometheus,
    `webshop_actor_consumer_lag_messages{actor="payment",topic="${shop.topic('order_created')}"}`,
    (samples) => samples.length > 0 && samples.every((sample) => sample.value === 0),
  );
  assert.ok(lag.every((sample) => Number(sample.metric.partition) >= 0 && Number(sample.metric.partition) < 6));
  await until(prometheus, 'sum by (actor) (webshop_actor_consumer_lag_messages)', (samples) => samples.length === 4);

  for (const [service, port] of Object.entries(ports)) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.equal(await promtoolProblems(text), '', service);
  }

  // A message that is not JSON, so the dead-letter panel has its series too.
  const producer = createProducer(shop.config, shop.log, 'poison-writer');
  await producer.connect();
  t.after(() => producer.disconnect());
  await produce(producer, [
    { topic: shop.topic('order_created'), key: 'prom-poison', value: Buffer.from('{not json'), headers: {} },
  ]);
  await until(
    prometheus,
    'webshop_actor_dead_letters_total{actor="payment",code="INVALID_JSON"}',
    (samples) => samples.length === 1,
  );
  const queries = panelQueries();
  for (const { panel, refId, expr } of queries) {
    const samples = await until(prometheus, expr, (answer) => answer.length > 0);
    assert.ok(samples.length > 0, `${panel} ${refId}`);
  }
});
