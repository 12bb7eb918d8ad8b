// Reading topics without joining a shop group: a throwaway consumer group that never commits, positioned
// at the beginning or at the current end, or a follower read to the topics' ends. Used by the CLIs (`make order`,
// `make tail`, `make dlq`) and tests.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createAdmin, createConsumer, type KafkaMessage } from './client.js';
import { followTopics } from './follower.js';

export interface ReadOptions {
  topics: string[];
  /** `end`: only messages produced after `readTopics` resolves. */
  from: 'beginning' | 'end';
  onMessage(topic: string, partition: number, message: KafkaMessage): void;
}

export interface TopicReader {
  stop(): Promise<void>;
}

/** High watermark (next offset to be written) of every partition of `topics`. */
export async function endOffsets(config: Config, log: Logger, topics: string[]): Promise<Map<string, bigint>> {
  const admin = createAdmin(config, log, 'reader-admin');
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const name of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(name))
        ends.set(`${name}/${partition}`, BigInt(high));
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts reading `topics` and calls `onMessage` for each message, in order within a partition.
 * @example const reader = await readTopics(config, log, { topics: ['dead_letter'], from: 'beginning', onMessage });
 */
export async function readTopics(config: Config, log: Logger, options: ReadOptions): Promise<TopicReader> {
  const ends = options.from === 'end' ? await endOffsets(config, log, options.topics) : undefined;
  const consumer = createConsumer(config, log, 'reader', { groupId: `webshop-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => options.onMessage(topic, partition, message),
  });
  // Seeks made before the assignment are applied when it arrives, so nothing between now and then is missed.
  for (const [key, offset] of ends ?? []) {
    const [topic, partition] = key.split('/') as [string, string];
    consumer.seek({ topic, partition: Number(partition), offset: String(offset) });
  }
  return { stop: () => consumer.disconnect() };
}

/** A message as read from a topic: where it is, and the message itself. */
export interface StoredMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Every message of `topics` committed before the call, in offset order within a partition; done when every
 * partition reaches its end, not after a quiet time.
 * @example const letters = await readToEnd(config, log, [topic(config.topicPrefix, 'dead_letter')]);
 */
export async function readToEnd(
  config: Config,
  log: Logger,
  topics: string[],
  timeoutMs = 60000,
): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  const follower = await followTopics(config, log, {
    topics,
    onMessage: (topic, partition, message) => messages.push({ topic, partition, message }),
  });
  try {
    await follower.catchUp(timeoutMs);
    return [...messages];
  } finally {
    await follower.close();
  }
}
