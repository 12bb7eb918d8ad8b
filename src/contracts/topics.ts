// Topic definitions, read once from config/topics.conf (shared with `make topics` and docker-compose),
// and the prefixed names the services use.
import { readFileSync } from 'node:fs';
import { Ajv, type JSONSchemaType } from 'ajv';
import { WebshopError } from '../errors.js';

export const topicNames = [
  'order_created',
  'payment_completed',
  'payment_failed',
  'order_shipped',
  'notification_sent',
  'order_status',
  'dead_letter',
  'dead_letter_replays',
] as const;

export type TopicName = (typeof topicNames)[number];

export interface TopicDefinition {
  name: TopicName;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

const definitionSchema: JSONSchemaType<TopicDefinition> = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'partitions', 'replicationFactor', 'configs'],
  properties: {
    name: { type: 'string', enum: topicNames },
    partitions: { type: 'integer', minimum: 1, maximum: 1000 },
    replicationFactor: { type: 'integer', minimum: 1, maximum: 10 },
    configs: { type: 'object', required: [], additionalProperties: { type: 'string' } },
  },
};

const validateDefinition = new Ajv({ allErrors: true }).compile(definitionSchema);

export const topicsFile = new URL('../../config/topics.conf', import.meta.url);

/**
 * Parses the topics file: one topic a line, `name partitions replication configs`, `#` comments.
 * Throws CONFIG_INVALID naming the line when a definition is malformed or a topic is missing.
 */
export function parseTopics(text: string): TopicDefinition[] {
  const definitions: TopicDefinition[] = [];
  text.split('\n').forEach((line, index) => {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) return;
    const [name, partitions, replicationFactor, configs = '-', ...extra] = fields;
    const definition = {
      name,
      partitions: Number(partitions),
      replicationFactor: Number(replicationFactor),
      configs: configs === '-' ? {} : Object.fromEntries(configs.split(',').map((pair) => pair.split('=', 2))),
    };
    if (extra.length > 0 || !validateDefinition(definition)) {
      throw new WebshopError('CONFIG_INVALID', `topics file line ${index + 1} is invalid: ${line.trim()}`);
    }
    if (definitions.some((known) => known.name === definition.name)) {
      throw new WebshopError('CONFIG_INVALID', `topics file line ${index + 1} repeats ${definition.name}`);
    }
    definitions.push(definition);
  });
  const missing = topicNames.filter((name) => !definitions.some((definition) => definition.name === name));
  if (missing.length > 0) throw new WebshopError('CONFIG_INVALID', `topics file lacks ${missing.join(', ')}`);
  return definitions;
}

let cached: TopicDefinition[] | undefined;

/** The topic definitions of config/topics.conf, read once per process. */
export function topicDefinitions(): TopicDefinition[] {
  cached ??= parseTopics(readFileSync(topicsFile, 'utf8'));
  return cached;
}

/** What a topic is created with on a given cluster. */
export interface TopicSettings {
  replicationFactor: number;
  configs: Record<string, string>;
}

/**
 * The rule that makes topic settings follow the cluster size: the replication column of config/topics.conf is the
 * wanted factor, capped at the brokers the cluster has; min.insync.replicas is 2 from 3 replicas on (an acknowledged
 * write survives the loss of any one broker), else 1, unless the topic's line sets it.
 * @example topicSettings({ ...definition, replicationFactor: 3 }, 1) // { replicationFactor: 1, configs: { 'min.insync.replicas': '1' } }
 */
export function topicSettings(definition: TopicDefinition, brokers: number): TopicSettings {
  const replicationFactor = Math.max(1, Math.min(definition.replicationFactor, brokers));
  return {
    replicationFactor,
    configs: { 'min.insync.replicas': replicationFactor >= 3 ? '2' : '1', ...definition.configs },
  };
}

/** The full name of a topic under a prefix: `topic('test-1.', 'order_created')` is `test-1.order_created`. */
export function topic(prefix: string, name: TopicName): string {
  return `${prefix}${name}`;
}
