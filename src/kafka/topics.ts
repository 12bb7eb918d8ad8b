// Creating the shop's topics from config/topics.conf: only the missing ones, so it is safe to repeat.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { topic, topicDefinitions } from '../contracts/topics.js';
import type { Logger } from '../logger.js';
import { createAdmin, type Admin } from './client.js';

const listedWithinMs = 10000;

// A created topic is usable once the broker lists it with a leader for every partition; consumers that
// subscribe before that log "Unknown topic or partition".
async function waitUntilListed(admin: Admin, names: string[]): Promise<void> {
  const deadline = Date.now() + listedWithinMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => []);
    const ready = metadata.filter((entry) => entry.partitions.every((partition) => partition.leader >= 0));
    if (ready.length === names.length) return;
    if (Date.now() > deadline) throw new Error(`topics not listed within ${listedWithinMs} ms: ${names.join(', ')}`);
    await sleep(50);
  }
}

export interface TopicsReport {
  created: string[];
  existing: string[];
}

/**
 * Creates every topic of config/topics.conf under the configured prefix that does not exist yet.
 * @example const { created, existing } = await ensureTopics(config, log);
 */
export async function ensureTopics(config: Config, log: Logger): Promise<TopicsReport> {
  const admin = createAdmin(config, log, 'topics');
  await admin.connect();
  try {
    const present = new Set(await admin.listTopics());
    const wanted = topicDefinitions().map((definition) => ({
      ...definition,
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
      await waitUntilListed(
        admin,
        missing.map((definition) => definition.name),
      );
    }
    return {
      created: missing.map((definition) => definition.name),
      existing: wanted.filter((definition) => present.has(definition.name)).map((definition) => definition.name),
    };
  } finally {
    await admin.disconnect();
  }
}
