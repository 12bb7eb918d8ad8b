// `make test-docker-cluster`: the three-broker stack of `make up CLUSTER=1` on a real Docker engine. The topics as
// the brokers describe them, then orders under load through the published order port while the broker leading
// most order_created partitions is stopped with `docker stop`: every 201 has exactly one payment outcome and one
// terminal event (read_committed) with that broker still down; it starts again and catches up; make down.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { topicDefinitions } from '../../src/contracts/topics.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../helpers.js';
import {
  acceptedWithoutTerminal,
  assertNothingLostOrDoubled,
  orderFigures,
  printFigures,
} from '../faults/order-figures.js';
import { startLoad, steadyOrders } from '../faults/order-load.js';
import { openOffsetReader, recordShop, settle } from '../faults/shop-record.js';
import {
  assertStackRemoved,
  containers,
  describeTopic,
  describeTopics,
  docker,
  inspect,
  make,
  printServiceLogs,
  run,
  seconds,
  stackSuite,
  type TopicDescription,
} from './stack.js';

const brokerServices = ['kafka', 'kafka-2', 'kafka-3'] as const;
const actorServices = ['payment', 'shipping', 'notification', 'status'] as const;
/** The brokers' addresses published on the host (deploy/compose.cluster.yml). */
const hostBrokers = '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096';
const load = { orders: 900, ratePerS: 60, concurrency: 16 } as const;
const figures: [string, string][] = [];
const volumesBefore = stackSuite(
  { CLUSTER: '1', VOLUMES: '1' },
  async () => `make test-docker-cluster figures (${process.env.COMPOSE_COMMAND ?? 'docker compose'})`,
  figures,
);

/** The container of a broker service, by its node id (1, 2, 3: kafka, kafka-2, kafka-3). */
async function broker(nodeId: number): Promise<string> {
  const [name] = await containers(brokerServices[nodeId - 1]);
  assert.ok(name, `a container of broker ${nodeId}`);
  return name;
}

/** The replication factor and min.insync.replicas config/topics.conf's line gets by the rule on three brokers. */
function expectedOnThreeBrokers(wanted: number, configs: Record<string, string>): [number, string] {
  const factor = Math.min(wanted, 3);
  return [factor, configs['min.insync.replicas'] ?? (factor >= 3 ? '2' : '1')];
}

test('make up CLUSTER=1 brings three healthy brokers, the topics and the five services up', async () => {
  // A bound for a loaded machine: three JVMs and the five services start at once (the default is 120 s).
  const up = await make('up', { CLUSTER: '1', UP_TIMEOUT: '600' }, true);
  figures.push(['make up CLUSTER=1 (image cached)', seconds(up.ms)]);
  assert.equal(up.code, 0, up.output);
  for (const service of [...brokerServices, 'order', ...actorServices]) {
    const [name] = await containers(service);
    assert.ok(name, `a container of ${service}`);
    assert.equal((await inspect(name)).health, 'healthy', service);
  }
  const [topics] = await containers('topics');
  const state = await inspect(topics!);
  assert.deepEqual([state.status, state.exitCode], ['exited', 0], 'the topics container created the topics');
  const ps = await make('ps');
  for (const service of brokerServices) assert.match(ps.output, new RegExp(`${service}\\b`), 'make ps lists it');
});

test("the brokers describe every topic with the rule's replication factor and min ISR, internal topics with 3 and 2", async () => {
  const topics = await describeTopics(await broker(1));
  const described = (name: string): TopicDescription => {
    const found = topics.get(name);
    assert.ok(found, `the brokers list ${name}`);
    return found;
  };
  for (const { name, replicationFactor, configs } of topicDefinitions()) {
    const [factor, minIsr] = expectedOnThreeBrokers(replicationFactor, configs);
    const { replicationFactor: actual, configs: set, partitions } = described(name);
    if (name === 'order_created') {
      figures.push([
        'order_created replication factor (wanted) / min ISR',
        `${actual} (${replicationFactor}) / ${set['min.insync.replicas']}`,
      ]);
    }
    assert.equal(actual, factor, `${name}: replication factor`);
    assert.equal(set['min.insync.replicas'], minIsr, `${name}: min.insync.replicas`);
    for (const { partition, replicas, isr } of partitions) {
      assert.equal(replicas.length, factor, `${name}-${partition} replicas`);
      assert.deepEqual([...isr].sort(), [...replicas].sort(), `${name}-${partition} is in sync`);
    }
  }
  assert.equal(described('__consumer_offsets').replicationFactor, 3, '__consumer_offsets');
  const transactions = described('__transaction_state');
  assert.equal(transactions.replicationFactor, 3, '__transaction_state');
  assert.equal(transactions.configs['min.insync.replicas'], '2', '__transaction_state min ISR');
});

test('docker stop of the broker leading most order_created partitions under load loses no acknowledged order', async () => {
  const kafka = await broker(1);
  const before = await describeTopic(kafka, 'order_created');
  // The test above holds the brokers to the rule; losing a broker needs every topic to want 3 replicas.
  for (const { name, replicationFactor } of topicDefinitions()) {
    assert.ok(
      replicationFactor >= 3,
      `config/topics.conf wants replication factor ${replicationFactor} for ${name}: a broker loss needs 3`,
    );
  }
  const led = new Map<number, number>();
  for (const { leader } of before.partitions) led.set(leader, (led.get(leader) ?? 0) + 1);
  const [leaderId, leading] = [...led].sort((a, b) => b[1] - a[1])[0]!;
  const victim = await broker(leaderId);
  const survivor = await broker(leaderId === 1 ? 2 : 1);

  const config = loadConfig({ KAFKA_BROKERS: hostBrokers, LOG_LEVEL: 'error', LOG_FORMAT: 'json' });
  const log = createLogger(config, 'docker-cluster-test');
  const offsets = await openOffsetReader(config, log);
  const recorder = await recordShop(config, log);
  try {
    const orders = startLoad({
      url: 'http://127.0.0.1:5001',
      shots: steadyOrders(`cluster-${randomUUID().slice(0, 8)}`, load.orders),
      ...load,
    });
    await waitFor('a third of the answers', () => orders.answers.length >= load.orders / 3, 120_000, 100);
    const stoppedAt = orders.elapsed();
    const stopped = await run('docker', ['stop', victim]);
    assert.equal(stopped.code, 0, stopped.output);
    const summary = await orders.done;

    const afterStop = orders.answers.filter(({ sentAt }) => sentAt >= stoppedAt);
    const next201 = afterStop
      .filter(({ status }) => status === 201)
      .reduce((first, { sentAt, ms }) => Math.min(first, sentAt + ms - stoppedAt), Infinity);
    const settled = await settle(
      offsets,
      recorder,
      config,
      log,
      (record) => acceptedWithoutTerminal(record, orders.answers),
      180_000,
    );
    const result = orderFigures('docker stop of a broker', settled.record, orders.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, concurrency ${load.concurrency}, slowest ${summary.slowestMs} ms`,
      'stopped broker': `${leaderId} (${victim}), leader of ${leading} of ${before.partitions.length} order_created partitions, at answer ${Math.round(stoppedAt)} ms`,
      'docker stop took': `${Math.round(stopped.ms)} ms`,
      '503 answers': orders.answers.filter(({ status }) => status === 503).length,
      'first 201 sent after the stop, answered': Number.isFinite(next201)
        ? `${Math.round(next201)} ms after the stop`
        : 'none',
      'settled with the broker down': `${settled.ms} ms`,
    });
    printFigures(result);
    figures.push([
      'orders posted (201 / 503 / other)',
      `${result.posts} (${result.answers['201'] ?? 0} / ${result.answers['503'] ?? 0} / ${result.posts - (result.answers['201'] ?? 0) - (result.answers['503'] ?? 0)})`,
    ]);
    figures.push(['docker stop of the leading broker', seconds(stopped.ms)]);
    figures.push(['first 201 after the stop', Number.isFinite(next201) ? seconds(next201) : 'none']);
    if (!settled.settled) await printServiceLogs(['order', ...actorServices]);
    assert.ok(
      settled.settled,
      `not settled with broker ${leaderId} down: ${settled.waitingFor.slice(0, 10).join('; ')}`,
    );
    assertNothingLostOrDoubled(result);
    assert.deepEqual(
      Object.keys(result.answers).filter((status) => status !== '201' && status !== '503'),
      [],
      'every POST answered 201 or 503',
    );
    assert.ok(
      afterStop.some(({ status }) => status === 201),
      'orders are accepted again with one broker down',
    );

    const restarted = performance.now();
    await docker('start', victim);
    await waitFor(
      'the stopped broker back in every order_created ISR',
      async () => {
        const { partitions } = await describeTopic(survivor, 'order_created');
        return partitions.every(({ replicas, isr }) => isr.length === replicas.length) || undefined;
      },
      180_000,
      1000,
    );
    figures.push(['docker start until back in sync', seconds(performance.now() - restarted)]);
  } finally {
    await Promise.allSettled([offsets.close(), recorder.close()]);
  }
});

test('make down VOLUMES=1 removes the cluster stack: no container, volume or network left', async () => {
  const down = await make('down', { VOLUMES: '1' });
  assert.equal(down.code, 0, down.output);
  await assertStackRemoved(volumesBefore());
});
