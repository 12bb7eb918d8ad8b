// Producing: messages to any number of topics in one call, resolved when the broker has acknowledged them all.
// The transactional ways to produce are in transaction.ts.
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import type { OutgoingMessage } from '../contracts/message.js';
import { WebshopError } from '../errors.js';
import type { Producer } from './client.js';

/**
 * Sends messages to any number of topics and resolves when the broker has acknowledged every one.
 * Rejects with a retriable KAFKA_UNAVAILABLE error when delivery fails.
 */
export async function produce(producer: Producer, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const byTopic = new Map<string, KafkaJS.Message[]>();
  for (const { topic, key, value, headers } of messages) {
    const list = byTopic.get(topic) ?? [];
    list.push({ key, value, headers });
    byTopic.set(topic, list);
  }
  try {
    await producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
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
