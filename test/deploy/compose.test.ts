// Checks docker-compose.yml and deploy/compose.env against the project's own config, without a Docker engine: the
// topics the init container creates, ports, setting names, health checks, start order and shutdown grace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { type Config, configEnv, defaultConfig, loadConfig } from '../../src/config.js';
import { topicDefinitions } from '../../src/contracts/topics.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: string;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  stop_grace_period?: string;
  profiles?: string[];
  container_name?: string;
  pull_policy?: string;
  tmpfs?: string[];
}

const repoPath = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const repoFile = (path: string): string => readFileSync(repoPath(path), 'utf8');

// merge: the app services share their settings through a YAML merge key (<<: *app), as compose reads them.
const compose = parse(repoFile('docker-compose.yml'), { merge: true }) as Record<string, unknown> & {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const { kafka, topics, 'kafka-ui': kafkaUi } = compose.services;

/** The entry point and port setting of each app service: what `make dev` runs, in the container. */
const appServices = {
  order: { main: 'dist/order/main.js', port: 'orderPort' },
  payment: { main: 'dist/actors/payment/main.js', port: 'paymentPort' },
  shipping: { main: 'dist/actors/shipping/main.js', port: 'shippingPort' },
  notification: { main: 'dist/actors/notification/main.js', port: 'notificationPort' },
  status: { main: 'dist/actors/status/main.js', port: 'statusPort' },
} as const satisfies Record<string, { main: string; port: keyof Config }>;

const composeEnv: Record<string, string> = Object.fromEntries(
  repoFile('deploy/compose.env')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** The settings the app containers run with: deploy/compose.env over the defaults. */
const containerConfig = (): Config => loadConfig(composeEnv);

/** Milliseconds of a compose duration such as `15s`, `1m30s` or `500ms`. */
function durationMs(duration: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  assert.equal(parts.map((part) => part[0]).join(''), duration, `not a compose duration: ${duration}`);
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * units[unit], 0);
}

function service(name: string): ComposeService {
  const found = compose.services[name];
  assert.ok(found, `docker-compose.yml has no service ${name}`);
  return found;
}

/** Runs deploy/topics-init.sh against stand-ins of the image's tools on a cluster of `brokers` brokers. */
function runTopicsInit(t: TestContext, brokers: number, prefix: string): string[][] {
  const kafkaHome = mkdtempSync(join(tmpdir(), 'topics-init-'));
  t.after(() => rmSync(kafkaHome, { recursive: true, force: true }));
  const calls = join(kafkaHome, 'calls');
  mkdirSync(join(kafkaHome, 'bin'));
  // Stands in for the image's kafka-topics.sh: records each call's arguments, one call a line.
  writeFileSync(
    join(kafkaHome, 'bin/kafka-topics.sh'),
    `#!/usr/bin/env bash\nprintf '%s\\t' "$@" >>"${calls}"\necho >>"${calls}"\n`,
    { mode: 0o755 },
  );
  // And for kafka-broker-api-versions.sh: one line per broker as Kafka 4.1 prints it, and one fenced broker.
  const lines = Array.from(
    { length: brokers },
    (_, i) => `kafka-${i + 1}:19092 (id: ${i + 1} rack: null isFenced: false) -> (`,
  );
  lines.push(`kafka-9:19092 (id: 9 rack: null isFenced: true) -> (`, '\tProduce(0): 3 to 12 [usable: 12],');
  writeFileSync(
    join(kafkaHome, 'bin/kafka-broker-api-versions.sh'),
    `#!/usr/bin/env bash\necho '${lines.join('\n')}'\n`,
    {
      mode: 0o755,
    },
  );
  execFileSync('bash', [repoPath('deploy/topics-init.sh')], {
    env: {
      PATH: process.env.PATH,
      KAFKA_HOME: kafkaHome,
      KAFKA_BROKERS: composeEnv.KAFKA_BROKERS,
      TOPIC_PREFIX: prefix,
    },
    stdio: 'pipe',
  });
  return readFileSync(calls, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.replace(/\t$/, '').split('\t'));
}

for (const brokers of [1, 3]) {
  test(`on ${brokers} broker(s) the topics container creates every topic of config/topics.conf by the replication rule`, (t) => {
    const prefix = 'webshop-test.';
    const expected = topicDefinitions().map((definition) => {
      // The rule: min(wanted, brokers reported), min ISR 2 from 3 replicas else 1, unless the line sets it.
      const factor = Math.min(definition.replicationFactor, brokers);
      const configs = { 'min.insync.replicas': factor >= 3 ? '2' : '1', ...definition.configs };
      return [
        ...['--bootstrap-server', composeEnv.KAFKA_BROKERS, '--create', '--if-not-exists'],
        ...['--topic', `${prefix}${definition.name}`, '--partitions', String(definition.partitions)],
        ...['--replication-factor', String(factor)],
        ...Object.entries(definition.configs).flatMap(([key, value]) => ['--config', `${key}=${value}`]),
        ...('min.insync.replicas' in definition.configs
          ? []
          : ['--config', `min.insync.replicas=${configs['min.insync.replicas']}`]),
      ];
    });
    assert.deepEqual(runTopicsInit(t, brokers, prefix), expected);
  });
}

test('the topics container runs the init script on the mounted config/ and the script names no topic itself', () => {
  assert.equal(topics.image, kafka.image, 'the topics container uses the broker image for kafka-topics.sh');
  assert.equal(topics.depends_on?.kafka?.condition, 'service_healthy');
  assert.equal(topics.env_file, 'deploy/compose.env', 'KAFKA_BROKERS and TOPIC_PREFIX as the services see them');
  const script = topics.entrypoint?.at(-1) ?? '';
  assert.match(script, /\/deploy\/topics-init\.sh$/);
  const root = script.replace(/\/deploy\/topics-init\.sh$/, '');
  // The script reads ../config/topics.conf beside itself, so the mounts keep the repository's layout.
  assert.ok(topics.volumes?.includes(`./deploy/topics-init.sh:${script}:ro`), 'the script is mounted read-only');
  assert.ok(topics.volumes?.includes(`./config:${root}/config:ro`), 'config/ is mounted read-only beside deploy/');
  const text = repoFile('deploy/topics-init.sh');
  assert.match(text, /\.\.\/config\/topics\.conf/);
  for (const { name } of topicDefinitions()) assert.ok(!text.includes(name), `topics-init.sh names ${name}`);
});

test('the broker is Apache Kafka 4.1 in KRaft mode with replication factors of 1 and no initial rebalance delay', () => {
  assert.match(kafka.image ?? '', /^apache\/kafka:4\.1\.\d+$/);
  const env = kafka.environment ?? {};
  assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
  assert.equal(env.KAFKA_CONTROLLER_QUORUM_VOTERS, `${env.KAFKA_NODE_ID}@kafka:9093`);
  assert.match(env.CLUSTER_ID ?? '', /^[A-Za-z0-9_-]{22}$/, 'CLUSTER_ID is a base64 UUID');
  for (const name of [
    'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
    'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
    'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
    'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR',
  ]) {
    assert.equal(env[name], '1', name);
  }
  assert.equal(env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS, '0');
  assert.equal(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE, 'false', 'topics come from config/topics.conf only');
  assert.ok(kafka.volumes?.includes(`kafka-data:${env.KAFKA_LOG_DIRS}`), 'the data directory is a named volume');
  assert.ok(compose.volumes && 'kafka-data' in compose.volumes);
  assert.deepEqual(kafka.healthcheck?.test, [
    'CMD',
    '/opt/kafka/bin/kafka-broker-api-versions.sh',
    '--bootstrap-server',
    'localhost:9092',
  ]);
});

test('the broker advertises KAFKA_BROKERS of compose.env to the containers and the default address to the host', () => {
  const env = kafka.environment ?? {};
  const advertised = (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((listener) => listener.split('://')[1]);
  assert.ok(advertised.includes(composeEnv.KAFKA_BROKERS), `containers use ${composeEnv.KAFKA_BROKERS}`);
  assert.ok(advertised.includes(defaultConfig.kafkaBrokers), `host tools use ${defaultConfig.kafkaBrokers}`);
  const hostPort = defaultConfig.kafkaBrokers.split(':')[1];
  assert.ok(kafka.ports?.includes(`127.0.0.1:${hostPort}:${hostPort}`), 'published on the host loopback only');
});

test('every setting in deploy/compose.env is a setting of src/config.ts and together they are a valid configuration', () => {
  const known = new Set(Object.values(configEnv));
  for (const name of Object.keys(composeEnv)) assert.ok(known.has(name), `${name} is not in configEnv`);
  const config = containerConfig();
  assert.equal(config.httpHost, '0.0.0.0', 'the services listen beyond the container loopback');
  assert.equal(config.kafkaBrokers, composeEnv.KAFKA_BROKERS);
});

test('each app service runs its own entry point, and its health port is its port setting and the default', () => {
  const config = containerConfig();
  for (const [name, { main, port }] of Object.entries(appServices)) {
    const app = service(name);
    assert.deepEqual(app.command, ['node', main], name);
    assert.equal(app.env_file, 'deploy/compose.env', name);
    assert.equal(config[port], defaultConfig[port], `${configEnv[port]} keeps its default`);
    assert.equal(app.environment?.HEALTH_PORT, String(config[port]), `${name} HEALTH_PORT is ${configEnv[port]}`);
  }
  const orderPort = config.orderPort;
  assert.deepEqual(service('order').ports, [`127.0.0.1:${orderPort}:${orderPort}`]);
  for (const name of ['payment', 'shipping', 'notification', 'status']) {
    assert.equal(service(name).ports, undefined, `${name} publishes no port, so it can be scaled`);
  }
});

test('the actors preload jemalloc, which the image installs, and the order service keeps glibc malloc', () => {
  assert.match(readFileSync(repoPath('deploy/Dockerfile'), 'utf8'), /apt-get install [^&]*\blibjemalloc2\b/);
  assert.equal(service('order').environment?.LD_PRELOAD, undefined);
  for (const name of ['payment', 'shipping', 'notification', 'status']) {
    assert.equal(service(name).environment?.LD_PRELOAD, 'libjemalloc.so.2', name);
  }
});

test('every app service has a health check, waits for the broker and the topics, and restarts unless stopped', () => {
  const imageHealthcheck = /^HEALTHCHECK\s.*HEALTH_PORT/m.test(repoFile('deploy/Dockerfile').replace(/\\\n/g, ' '));
  for (const name of Object.keys(appServices)) {
    const app = service(name);
    assert.ok(app.healthcheck ?? imageHealthcheck, `${name} has a health check in compose or the image`);
    assert.deepEqual(
      app.depends_on,
      { kafka: { condition: 'service_healthy' }, topics: { condition: 'service_completed_successfully' } },
      name,
    );
    assert.equal(app.restart, 'unless-stopped', name);
  }
});

test('every app service is given longer to stop than its shutdown timeout', () => {
  const { shutdownTimeoutMs } = containerConfig();
  for (const name of Object.keys(appServices)) {
    const grace = service(name).stop_grace_period;
    assert.ok(grace, `${name} has a stop_grace_period`);
    assert.ok(durationMs(grace) > shutdownTimeoutMs, `${name}: ${grace} is not above ${shutdownTimeoutMs} ms`);
  }
});

test('the five app services share one image, built once from deploy/Dockerfile', () => {
  const apps = Object.keys(appServices).map(service);
  assert.deepEqual([...new Set(apps.map((app) => app.image))], ['kafka-webshop:local']);
  const builds = apps.filter((app) => app.build);
  assert.equal(builds.length, 1, 'one service builds the image, the others reuse it');
  assert.deepEqual(builds[0].build, { context: '.', dockerfile: 'deploy/Dockerfile' });
  for (const [name, app] of Object.entries(compose.services).filter(
    ([, entry]) => entry.image === 'kafka-webshop:local',
  )) {
    // Compose v2 would otherwise try to pull the shared image for the services that do not build it.
    assert.equal(app.pull_policy, app.build ? 'build' : 'never', `${name}: pull_policy`);
  }
});

test('both services on the Kafka image mount every VOLUME the image declares, so no anonymous volume is left', () => {
  // The VOLUME line of apache/kafka's Dockerfile (docker/jvm/Dockerfile in apache/kafka).
  const imageVolumes = ['/etc/kafka/secrets', '/var/lib/kafka/data', '/mnt/shared/config'];
  for (const [name, entry] of [
    ['kafka', kafka],
    ['topics', topics],
  ] as const) {
    const mounted = [...(entry.tmpfs ?? []), ...(entry.volumes ?? []).map((volume) => volume.split(':')[1])];
    for (const path of imageVolumes) assert.ok(mounted.includes(path), `${name} mounts ${path}`);
  }
});

test('the app containers log readable lines by default (LOG_FORMAT=pretty), as docker logs shows them', () => {
  assert.equal(composeEnv.LOG_FORMAT, 'pretty');
});

test('make scale starts only the scaled service, not its dependencies such as the topics container', () => {
  assert.match(repoFile('deploy/docker.mk'), /^\t\$\(STACK\) up -d --no-recreate --no-deps /m);
});

test('the ui profile adds a pinned kafka-ui on port 8080 that reads the internal listener', () => {
  assert.match(kafkaUi.image ?? '', /^kafbat\/kafka-ui:v\d+\.\d+\.\d+$/);
  assert.deepEqual(kafkaUi.profiles, ['ui']);
  assert.deepEqual(kafkaUi.ports, ['127.0.0.1:8080:8080']);
  assert.equal(kafkaUi.environment?.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS, composeEnv.KAFKA_BROKERS);
});

test('container names follow the project name kafka-webshop that make gives compose', () => {
  // docker-compose 1.29 rejects a top-level `name`, so the project name comes from deploy/docker.mk.
  assert.ok(!('name' in compose), 'no top-level name');
  for (const [name, entry] of Object.entries(compose.services)) {
    assert.equal(entry.container_name, undefined, `${name} sets container_name`);
  }
  const makefile = repoFile('deploy/docker.mk');
  assert.match(makefile, /^DOCKER_PROJECT\s*\?=\s*kafka-webshop$/m);
  assert.match(makefile, /^STACK\s*=\s*\$\(COMPOSE\) --project-name \$\(DOCKER_PROJECT\)[$ ]/m);
});
