// Reading topics exactly up to their current end (for `make dlq`: the dead letters and the replay log), and
// publishing a replay atomically with the record of it.
import { randomUUID } from 'node:crypto';
import kafkaJavascript, { type Message } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { produce, type KafkaMessage, type OutgoingMessage, type Producer } from './client.js';
import { endOffsets } from './reader.js';

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { KafkaConsumer } = kafkaJavascript;
const offsetBeginning = -2;
const stallTimeoutMs = 30000;

/** A message as read from a topic: where it is, and the message itself. */
export interface StoredMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

function kafkaMessage(message: Message): KafkaMessage {
  const headers: Record<string, Buffer> = {};
  for (const header of message.headers ?? []) {
    for (const [name, value] of Object.entries(header)) headers[name] ??= Buffer.from(value);
  }
  return {
    key: message.key === undefined || message.key === null ? null : Buffer.from(message.key),
    value: message.value,
    timestamp: String(message.timestamp ?? 0),
    attributes: 0,
    offset: String(message.offset),
    headers,
  };
}

/**
 * Every committed message of `topics` from the beginning up to the end each partition has now, in offset
 * order within a partition. Done when every partition reaches its end offset, not after a quiet time.
 * @example const letters = await readToEnd(config, log, [topic(config.topicPrefix, 'dead_letter')]);
 */
export async function readToEnd(config: Config, log: Logger, topics: string[]): Promise<StoredMessage[]> {
  const ends = await endOffsets(config, log, topics);
  const pending = new Map([...ends].filter(([, end]) => end > 0n));
  const read: StoredMessage[] = [];
  if (pending.size === 0) return read;

  let finish: (error?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  // Awaited only after connecting: a stall before that must not be an unhandled rejection.
  finished.catch(() => undefined);
  const stall = setTimeout(() => {
    const partitions = [...pending.keys()].join(', ');
    finish(new WebshopError('KAFKA_UNAVAILABLE', `no progress reading ${partitions} for ${stallTimeoutMs} ms`));
  }, stallTimeoutMs);
  const reached = (topic: string, partition: number, position: bigint): void => {
    stall.refresh();
    const key = `${topic}/${partition}`;
    if (position >= (pending.get(key) ?? position + 1n)) pending.delete(key);
    if (pending.size === 0) finish();
  };

  const consumer = new KafkaConsumer({
    'metadata.broker.list': config.kafkaBrokers,
    'client.id': 'dead-letter-reader',
    // Assigned partitions, never subscribed: the group id is required but no group is joined or committed.
    'group.id': `webshop-dlq-${randomUUID()}`,
    'enable.auto.commit': false,
    'enable.partition.eof': true,
    'isolation.level': 'read_committed',
    'fetch.wait.max.ms': 10,
  });
  consumer.on('data', (message: Message) => {
    if (BigInt(message.offset) < (ends.get(`${message.topic}/${message.partition}`) ?? 0n)) {
      read.push({ topic: message.topic, partition: message.partition, message: kafkaMessage(message) });
    }
    reached(message.topic, message.partition, BigInt(message.offset) + 1n);
  });
  // Transaction markers take offsets but carry no message: only the end-of-partition event says the
  // position has passed them.
  consumer.on('partition.eof', ({ topic, partition, offset }) => reached(topic, partition, BigInt(offset)));
  consumer.on('event.error', (error) => log.warn('dead-letter reader error', { error: error.message }));
  try {
    await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
    consumer.assign(
      [...pending.keys()].map((key) => {
        const at = key.lastIndexOf('/');
        return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: offsetBeginning };
      }),
    );
    consumer.consume();
    await finished;
    return read;
  } finally {
    clearTimeout(stall);
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

/**
 * Produces `messages` in one Kafka transaction of `producer` (made with a transactionalId): all of them
 * become visible to read_committed readers, or none. Aborts and rejects on any failure.
 */
export async function produceAtomically(producer: Producer, messages: OutgoingMessage[]): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await produce(transaction, messages);
    await transaction.commit();
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}
