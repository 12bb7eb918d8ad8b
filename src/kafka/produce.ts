// Producing: messages to any number of topics in one call, resolved when the broker has acknowledged them all.
// The transactional ways to produce are in transaction.ts.
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { OutgoingMessage } from '../contracts/message.js';
import { WebshopError } from '../errors.js';
import type { Producer } from './client.js';

/** Where a call's messages begin in one partition: the offset of the first of them written there. */
export interface WrittenFrom {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * A partition a transaction wrote to, and a time none of its messages there is stamped before: the time taken before
 * the first was produced (librdkafka stamps each message as it is produced, from the same wall clock).
 */
export interface WrittenSince {
  topic: string;
  partition: number;
  /** Milliseconds since the epoch. */
  since: number;
}

/**
 * Sends messages to any number of topics and resolves when the broker has acknowledged every one, with where they
 * begin in each partition they went to. Rejects with a retriable KAFKA_UNAVAILABLE error when delivery fails.
 */
export async function produce(producer: Producer, messages: OutgoingMessage[]): Promise<WrittenFrom[]> {
  if (messages.length === 0) return [];
  const byTopic = new Map<string, KafkaJS.Message[]>();
  for (const { topic, key, value, headers, partition } of messages) {
    const list = byTopic.get(topic) ?? [];
    list.push(partition === undefined ? { key, value, headers } : { key, value, headers, partition });
    byTopic.set(topic, list);
  }
  try {
    const written = await producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
    return written.flatMap(({ topicName, partition, baseOffset }) =>
      baseOffset === undefined || baseOffset === null
        ? []
        : [{ topic: topicName, partition, offset: Number(baseOffset) }],
    );
  } catch (error) {
    throw new WebshopError(
      'KAFKA_UNAVAILABLE',
      `the broker did not acknowledge the messages: ${(error as Error).message}`,
      {
        cause: error,
        retriable: true,
      },
    );
  }
}
