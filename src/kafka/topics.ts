// Creating the shop's topics from config/topics.conf: only the missing ones, so it is safe to repeat.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import {
  topic,
  topicDefinitions,
  topicSettings,
  type TopicDefinition,
  type TopicSettings,
} from '../contracts/topics.js';
import type { Logger } from '../logger.js';
import { createAdmin, type Admin, type TopicMetadata } from './client.js';
import { countBrokers } from './cluster.js';

const listedWithinMs = 10000;

/**
 * The metadata of topics `names` once the broker asked lists each with a leader for every partition; rejects after
 * `withinMs`. Consumers that subscribe before that log "Unknown topic or partition", and on a cluster a topic just
 * created is unknown for a moment to the brokers that have not caught up with the cluster's metadata yet.
 */
export async function listedTopics(admin: Admin, names: string[], withinMs = listedWithinMs): Promise<TopicMetadata[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => []);
    const ready = metadata.filter((entry) => entry.partitions.every((partition) => partition.leader >= 0));
    if (ready.length === names.length) return metadata;
    if (Date.now() > deadline) throw new Error(`topics not listed within ${withinMs} ms: ${names.join(', ')}`);
    await sleep(50);
  }
}

export interface CreatedTopic extends TopicSettings {
  name: string;
}

export interface TopicsReport {
  /** The topics created, with the settings they got on this cluster. */
  created: CreatedTopic[];
  existing: string[];
  /** The brokers the cluster's metadata listed, which the settings follow. */
  brokers: number;
}

/**
 * Creates every topic of config/topics.conf (or of `definitions`) under the configured prefix that does not exist
 * yet, with the replication the cluster's size allows (see `topicSettings`).
 * @example const { created, existing, brokers } = await ensureTopics(config, log);
 */
export async function ensureTopics(
  config: Config,
  log: Logger,
  definitions: readonly TopicDefinition[] = topicDefinitions(),
): Promise<TopicsReport> {
  const brokers = await countBrokers(config);
  const admin = createAdmin(config, log, 'topics');
  await admin.connect();
  try {
    const present = new Set(await admin.listTopics());
    const wanted = definitions.map((definition) => ({
      ...definition,
      ...topicSettings(definition, brokers),
      name: topic(config.topicPrefix, definition.name),
    }));
    const missing = wanted.filter((definition) => !present.has(definition.name));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((definition) => ({
          topic: definition.name,
          numPartitions: definition.partitions,
          replicationFactor: definition.replicationFactor,
          configEntries: Object.entries(definition.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      await listedTopics(
        admin,
        missing.map((definition) => definition.name),
      );
    }
    return {
      created: missing.map(({ name, replicationFactor, configs }) => ({ name, replicationFactor, configs })),
      existing: wanted.filter((definition) => present.has(definition.name)).map((definition) => definition.name),
      brokers,
    };
  } finally {
    await admin.disconnect();
  }
}
