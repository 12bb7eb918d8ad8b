// On the three-broker cluster, `make topics` creates every topic with replication factor 3 and min.insync.replicas
// 2 and says so, and the broker's internal topics (offsets, transaction state) are replicated alike, as
// kafka-topics --describe shows them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { topic, topicDefinitions, topicNames } from '../../src/contracts/topics.js';
import { createAdmin, createConsumer, createProducer } from '../../src/kafka/client.js';
import { createLogger } from '../../src/logger.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096';

interface Described {
  replicationFactor: number;
  configs: Record<string, string>;
  /** Replicas of each partition. */
  replicas: number[][];
}

/** What kafka-topics --describe (the jars' TopicCommand) prints about the topics `pattern` matches, parsed by name. */
async function describeTopics(pattern: string): Promise<Map<string, Described>> {
  const { stdout } = await run(
    'java',
    [
      '-Xmx128m',
      '-XX:TieredStopAtLevel=1',
      '-Dlog4j2.configurationFile=deploy/kafka/log4j2.properties',
      '-Dkafka.log.level=WARN',
      '-cp',
      'deploy/kafka/libs/*',
      'org.apache.kafka.tools.TopicCommand',
      ...['--bootstrap-server', brokers, '--describe', '--topic', pattern],
    ],
    { cwd: repoRoot, timeout: 60000 },
  );
  const described = new Map<string, Described>();
  for (const line of stdout.split('\n')) {
    const name = /^Topic: (\S+)\tTopicId/.exec(line)?.[1];
    if (name) {
      const configs = /Configs: ?(\S*)/.exec(line)?.[1] ?? '';
      described.set(name, {
        replicationFactor: Number(/ReplicationFactor: (\d+)/.exec(line)?.[1]),
        configs: Object.fromEntries(
          configs
            .split(',')
            .filter(Boolean)
            .map((pair) => pair.split('=', 2)),
        ),
        replicas: [],
      });
    }
    const partition = /^\tTopic: (\S+)\tPartition: \d+\t.*Replicas: ([\d,]+)/.exec(line);
    if (partition) described.get(partition[1]!)?.replicas.push(partition[2]!.split(',').map(Number));
  }
  return described;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

test('make topics creates every topic with replication factor 3 and min.insync.replicas 2 on three brokers, and says so', async (t) => {
  const prefix = `cluster-topics-${randomUUID().slice(0, 8)}.`;
  const config = loadConfig({ KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix, LOG_LEVEL: 'error' });
  const admin = createAdmin(config, createLogger(config, 'cluster-topics-test'), 'cluster-topics-cleanup');
  await admin.connect();
  t.after(async () => {
    await admin.deleteTopics({ topics: topicNames.map((name) => topic(prefix, name)) }).catch(() => undefined);
    await admin.disconnect();
  });

  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/topics.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix },
    timeout: 60000,
  });
  assert.match(stdout, new RegExp(`^3 brokers on ${brokers}$`, 'm'));
  const topics = await describeTopics(`${escaped(prefix)}.*`);
  for (const definition of topicDefinitions()) {
    const name = topic(prefix, definition.name);
    assert.match(stdout, new RegExp(`^created  ${name}  \\(replication factor 3, min.insync.replicas 2\\)$`, 'm'));
    const described = topics.get(name);
    assert.ok(described, `kafka-topics --describe shows ${name}`);
    assert.equal(described.replicationFactor, 3, name);
    assert.deepEqual(described.configs, { 'min.insync.replicas': '2', ...definition.configs }, name);
    assert.equal(described.replicas.length, definition.partitions, name);
    for (const replicas of described.replicas) assert.deepEqual([...replicas].sort(), [1, 2, 3], name);
  }
});

test('the offsets and transaction-state topics have 3 replicas and min.insync.replicas 2', async () => {
  const config = loadConfig({ KAFKA_BROKERS: brokers, LOG_LEVEL: 'error' });
  const log = createLogger(config, 'cluster-topics-test');
  // The broker creates its internal topics on first use: a group's offsets looked up, a transactional producer.
  const consumer = createConsumer(config, log, 'cluster-topics-test', { groupId: `cluster-topics-${randomUUID()}` });
  const producer = createProducer(config, log, 'cluster-topics-test', { transactionalId: `cluster-${randomUUID()}` });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.committed([{ topic: '__consumer_offsets', partition: 0 }], 30000);
  await Promise.all([consumer.disconnect(), producer.disconnect()]);

  const internal = await describeTopics('__consumer_offsets|__transaction_state');
  assert.equal(internal.get('__consumer_offsets')?.replicationFactor, 3, '__consumer_offsets');
  // Its min.insync.replicas is the broker's default, which `make cluster` sets to 2.
  const { stdout } = await run('grep', [
    '-h',
    '^min.insync.replicas=',
    `${process.env.CLUSTER_RUN_DIR}/1/server.properties`,
  ]);
  assert.equal(stdout.trim(), 'min.insync.replicas=2');
  assert.equal(internal.get('__transaction_state')?.replicationFactor, 3, '__transaction_state');
  assert.equal(internal.get('__transaction_state')?.configs['min.insync.replicas'], '2', '__transaction_state');
});
