// Checks deploy/compose.cluster.yml (merged over docker-compose.yml by `make up CLUSTER=1`) without a Docker engine:
// three KRaft nodes that are each broker and controller, replicated internal topics, a data volume per node, and
// every app container pointed at all three brokers. deploy/check-docker.sh validates the merge with real composes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  tmpfs?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

const repoFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
const read = (path: string): { services: Record<string, ComposeService>; volumes?: Record<string, unknown> } =>
  parse(repoFile(path), { merge: true }) as { services: Record<string, ComposeService> };
const base = read('docker-compose.yml');
const cluster = read('deploy/compose.cluster.yml');

/** A service as compose merges it: the override's keys over docker-compose.yml's (maps merged), if any. */
function node(name: string): ComposeService {
  const over = cluster.services[name];
  assert.ok(over, `deploy/compose.cluster.yml has no service ${name}`);
  const under = base.services[name] ?? {};
  return {
    ...under,
    ...over,
    environment: { ...under.environment, ...over.environment },
    depends_on: { ...under.depends_on, ...over.depends_on },
  };
}

const nodes = ['kafka', 'kafka-2', 'kafka-3'].map((name) => ({ name, ...node(name) }));
const clusterBrokers = 'kafka:19092,kafka-2:19092,kafka-3:19092';

test('three nodes on the broker image, each broker and controller, with distinct ids and the same three voters', () => {
  const voters = nodes.map(({ name, environment }) => `${environment!.KAFKA_NODE_ID}@${name}:9093`).join(',');
  assert.deepEqual(
    nodes.map(({ environment }) => environment!.KAFKA_NODE_ID),
    ['1', '2', '3'],
  );
  for (const { name, image, environment: env, restart } of nodes) {
    assert.equal(image, base.services.kafka!.image, `${name} runs the single broker's image`);
    assert.equal(env!.KAFKA_PROCESS_ROLES, 'broker,controller', name);
    assert.equal(env!.KAFKA_CONTROLLER_QUORUM_VOTERS, voters, name);
    assert.equal(env!.CLUSTER_ID, nodes[0]!.environment!.CLUSTER_ID, `${name}: one cluster id`);
    assert.equal(restart, 'unless-stopped', name);
  }
  assert.notEqual(nodes[0]!.environment!.CLUSTER_ID, base.services.kafka!.environment!.CLUSTER_ID);
});

test('internal topics get replication factor 3 and min ISR 2, and so does every topic by default; a modest heap', () => {
  for (const { name, environment: env } of nodes) {
    for (const key of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR',
      'KAFKA_DEFAULT_REPLICATION_FACTOR',
    ]) {
      assert.equal(env![key], '3', `${name} ${key}`);
    }
    for (const key of [
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
      'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR',
      'KAFKA_MIN_INSYNC_REPLICAS',
    ]) {
      assert.equal(env![key], '2', `${name} ${key}`);
    }
    assert.match(env!.KAFKA_HEAP_OPTS ?? '', /^-Xms512m -Xmx512m$/, `${name} heap: 512 MB, reserved at the start`);
  }
});

test('each node advertises its internal name and a host port it publishes, and has a data volume of its own', () => {
  const hostPorts = new Set<string>();
  for (const { name, environment: env, ports, volumes, tmpfs, healthcheck } of nodes) {
    const advertised = env!.KAFKA_ADVERTISED_LISTENERS!.split(',');
    assert.ok(advertised.includes(`INTERNAL://${name}:19092`), `${name}: ${advertised.join(',')}`);
    const hostPort = /^EXTERNAL:\/\/127\.0\.0\.1:(\d+)$/.exec(
      advertised.find((l) => l.startsWith('EXTERNAL')) ?? '',
    )?.[1];
    assert.ok(hostPort, `${name} advertises a loopback host address`);
    assert.ok(ports?.includes(`127.0.0.1:${hostPort}:${hostPort}`), `${name} publishes ${hostPort} on the loopback`);
    assert.match(env!.KAFKA_LISTENERS!, new RegExp(`EXTERNAL://:${hostPort}\\b`), name);
    hostPorts.add(hostPort);
    // Every VOLUME of the image is mounted (no anonymous volume), the data one on the node's named volume.
    assert.deepEqual(volumes, [`${name.replace(/^kafka$/, 'kafka-1')}-data:/var/lib/kafka/data`], name);
    assert.ok(cluster.volumes && `${name.replace(/^kafka$/, 'kafka-1')}-data` in cluster.volumes, name);
    for (const path of ['/etc/kafka/secrets', '/mnt/shared/config'])
      assert.ok(tmpfs?.includes(path), `${name} ${path}`);
    assert.deepEqual(healthcheck?.test.slice(-2), ['--bootstrap-server', `${name}:19092`], `${name} health check`);
  }
  assert.deepEqual([...hostPorts], ['9092', '9094', '9096']);
});

test('the topics container waits for all three brokers, and it and every app service bootstrap from all three', () => {
  assert.deepEqual(Object.keys(node('topics').depends_on ?? {}).sort(), ['kafka', 'kafka-2', 'kafka-3']);
  for (const name of ['topics', 'order', 'payment', 'shipping', 'notification', 'status']) {
    assert.equal(node(name).environment?.KAFKA_BROKERS, clusterBrokers, name);
  }
  assert.equal(node('kafka-ui').environment?.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, clusterBrokers);
});

test('make up CLUSTER=1 merges the cluster file over docker-compose.yml, and down and ps follow a cluster stack', () => {
  const makefile = repoFile('deploy/docker.mk');
  assert.match(makefile, /^CLUSTER_FILES = -f docker-compose\.yml -f deploy\/compose\.cluster\.yml$/m);
  assert.match(makefile, /\$\(filter 1,\$\(CLUSTER\)\)/, 'CLUSTER=1 turns it on');
  assert.match(makefile, /label=com\.docker\.compose\.service=kafka-2/, 'an existing cluster stack turns it on');
});
