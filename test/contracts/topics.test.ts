// Unit tests of src/contracts/topics.ts: the shared topics file, its parser's errors, and prefixed names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  parseTopics,
  topic,
  topicDefinitions,
  topicNames,
  topicSettings,
  topicsFile,
  type TopicDefinition,
} from '../../src/contracts/topics.js';
import { WebshopError } from '../../src/errors.js';

const validText = topicNames.map((name) => `${name} 6 1 -`).join('\n');

function assertConfigInvalid(text: string, message: RegExp): void {
  assert.throws(
    () => parseTopics(text),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError, `not a WebshopError: ${String(error)}`);
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, message);
      return true;
    },
  );
}

test('config/topics.conf defines the six event topics with 6 partitions, a compacted replay log', () => {
  const definitions = parseTopics(readFileSync(topicsFile, 'utf8'));
  assert.deepEqual(definitions.map((definition) => definition.name).sort(), [...topicNames].sort());
  for (const definition of definitions) {
    const replays = definition.name === 'dead_letter_replays';
    assert.equal(definition.partitions, replays ? 1 : 6, definition.name);
    if (replays) assert.deepEqual(definition.configs, { 'cleanup.policy': 'compact' });
    assert.equal(definition.replicationFactor, 3, definition.name);
  }
});

const wanting = (replicationFactor: number, configs: Record<string, string> = {}): TopicDefinition => ({
  name: 'order_created',
  partitions: 6,
  replicationFactor,
  configs,
});

test('a topic that wants 3 replicas gets 3 and min.insync.replicas 2 on a three-broker cluster', () => {
  assert.deepEqual(topicSettings(wanting(3), 3), { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
});

test('a topic that wants 3 replicas gets as many as the cluster has brokers, and min.insync.replicas 1 below 3', () => {
  assert.deepEqual(topicSettings(wanting(3), 1), { replicationFactor: 1, configs: { 'min.insync.replicas': '1' } });
  assert.deepEqual(topicSettings(wanting(3), 2), { replicationFactor: 2, configs: { 'min.insync.replicas': '1' } });
});

test('a topic never gets more replicas than it wants, however many brokers the cluster has', () => {
  assert.deepEqual(topicSettings(wanting(1), 5), { replicationFactor: 1, configs: { 'min.insync.replicas': '1' } });
  assert.deepEqual(topicSettings(wanting(3), 5), { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
});

test("a topic's own min.insync.replicas and other configs are kept", () => {
  const definition = wanting(3, { 'min.insync.replicas': '3', 'cleanup.policy': 'compact' });
  assert.deepEqual(topicSettings(definition, 3).configs, { 'min.insync.replicas': '3', 'cleanup.policy': 'compact' });
});

test('config/topics.conf keeps dead letters for 14 days and gives the other topics no extra configs', () => {
  const byName = new Map(topicDefinitions().map((definition) => [definition.name, definition]));
  assert.deepEqual(byName.get('dead_letter')?.configs, { 'retention.ms': '1209600000' });
  assert.deepEqual(byName.get('order_created')?.configs, {});
});

test('the topic names are the original demo names plus order_shipped, notification_sent, order_status and the dead-letter topics', () => {
  assert.deepEqual(
    [...topicNames],
    [
      'order_created',
      'payment_completed',
      'payment_failed',
      'order_shipped',
      'notification_sent',
      'order_status',
      'dead_letter',
      'dead_letter_replays',
    ],
  );
});

test('comments, blank lines and several configs per topic are understood', () => {
  const text = [
    '# header comment',
    '',
    ...topicNames.slice(1).map((name) => `${name} 3 1 -   # trailing comment`),
    'order_created 12 3 retention.ms=1000,cleanup.policy=compact',
  ].join('\n');
  const created = parseTopics(text).find((definition) => definition.name === 'order_created');
  assert.deepEqual(created, {
    name: 'order_created',
    partitions: 12,
    replicationFactor: 3,
    configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' },
  });
});

test('a malformed line fails with CONFIG_INVALID naming its line number and text', () => {
  const cases = [
    'order_created six 1 -',
    'order_created 0 1 -',
    'order_created 6',
    'order_created 6 1 - extra',
    'order_created 6 1 retention.ms',
    'orders_created 6 1 -',
  ];
  for (const bad of cases) {
    const text = `# comment\n${validText}\n${bad}`;
    const escaped = bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assertConfigInvalid(text, new RegExp(`line ${topicNames.length + 2} is invalid: ${escaped}$`));
  }
});

test('a missing topic fails with CONFIG_INVALID naming the missing topics', () => {
  const text = topicNames
    .filter((name) => name !== 'payment_failed' && name !== 'dead_letter')
    .map((name) => `${name} 6 1 -`)
    .join('\n');
  assertConfigInvalid(text, /lacks payment_failed, dead_letter/);
});

test('topic(prefix, name) puts the prefix in front of the name', () => {
  assert.equal(topic('test-1.', 'order_created'), 'test-1.order_created');
  assert.equal(topic('', 'dead_letter'), 'dead_letter');
});

test('a topic defined twice fails with CONFIG_INVALID naming the repeated line', () => {
  const text = readFileSync(topicsFile, 'utf8') + '\norder_created 3 1 -\n';
  assert.throws(
    () => parseTopics(text),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError);
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, /repeats order_created/);
      return true;
    },
  );
});
