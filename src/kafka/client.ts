// The only module that imports @confluentinc/kafka-javascript: clients built with the project's
// settings (durable idempotent producers, manual-commit read_committed consumers) and event messages.
import { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { cloudEventContentType, encodeEvent, type CloudEvent } from '../contracts/envelope.js';
import { WebshopError } from '../errors.js';
import { kafkaLogger, type Logger } from '../logger.js';
import { producerFailure, transactionally } from './transaction.js';

export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;
export type TopicPartition = KafkaJS.TopicPartition;

/** A message to produce; headers are strings. */
export interface OutgoingMessage {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string | Buffer>;
}

// After a broker restart librdkafka can keep a partition's leader as unknown until its next full metadata
// refresh (5 minutes by default; confluentinc/librdkafka#4976): a transactional producer's sends to it then time
// out again and again. Refreshing every 10 s bounds that to seconds, at the cost of one small request.
const metadataRefreshMs = 10000;

function kafka(config: Config, log: Logger, clientId: string): KafkaJS.Kafka {
  return new KafkaJS.Kafka({
    kafkaJS: { brokers: config.kafkaBrokers.split(','), clientId, logger: kafkaLogger(log) },
    'topic.metadata.refresh.interval.ms': metadataRefreshMs,
  });
}

export interface ProducerOptions {
  /** Bound on a send, end to end: librdkafka fails the message when the broker has not acknowledged by then. */
  deliveryTimeoutMs?: number;
  /** Makes the producer transactional; stable across restarts of one instance, unique among live ones. */
  transactionalId?: string;
}

// An open transaction of an instance that never comes back blocks read_committed readers for this long (a restarted
// instance aborts its predecessor's at once). A broker outage longer than this aborts and fences the transactions
// left open in it, and a fenced instance ends itself: 60 s, the Java client's default, lets a 30 s outage pass.
const transactionTimeoutMs = 60000;

/**
 * An idempotent producer (acks=all, no duplicates on retry) that places keys like the Java client does.
 * `linger.ms` comes from PRODUCER_LINGER_MS: concurrent sends still share batches.
 */
export function createProducer(config: Config, log: Logger, clientId: string, options: ProducerOptions = {}): Producer {
  return kafka(config, log, clientId).producer({
    'enable.idempotence': true,
    acks: -1,
    partitioner: 'murmur2_random',
    'linger.ms': config.producerLingerMs,
    'message.timeout.ms': options.deliveryTimeoutMs ?? 30000,
    'socket.nagle.disable': true,
    'socket.keepalive.enable': true,
    ...(options.transactionalId === undefined
      ? {}
      : { 'transactional.id': options.transactionalId, 'transaction.timeout.ms': transactionTimeoutMs }),
  });
}

export interface ConsumerOptions {
  groupId: string;
  /** Upper bound for one batch's processing before the group evicts the member. */
  maxPollIntervalMs?: number;
  /** Called when partitions are added to this member. */
  onAssign?(partitions: TopicPartition[]): void;
  /** Awaited before partitions are taken away: the moment to finish and commit their work. */
  onRevoke?(partitions: TopicPartition[]): Promise<void>;
}

/**
 * A consumer that never commits by itself: the actor runtime commits offsets after the outputs of a
 * message are acknowledged. Reads only committed transactional data.
 */
export function createConsumer(config: Config, log: Logger, clientId: string, options: ConsumerOptions): Consumer {
  return kafka(config, log, clientId).consumer({
    'group.id': options.groupId,
    'enable.auto.commit': false,
    'auto.offset.reset': 'earliest',
    'isolation.level': 'read_committed',
    'partition.assignment.strategy': 'cooperative-sticky',
    'max.poll.interval.ms': options.maxPollIntervalMs ?? 300000,
    // A crashed instance's partitions wait this long for a new owner.
    'session.timeout.ms': config.sessionTimeoutMs,
    'js.consumer.max.batch.size': config.actorBatchSize,
    // The broker answers a fetch as soon as data arrives; a longer wait only saves idle polling.
    'fetch.wait.max.ms': 100,
    'socket.nagle.disable': true,
    rebalance_cb: async (error: { code: number }, assignment: TopicPartition[]) => {
      if (error.code === KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS) options.onAssign?.(assignment);
      else if (error.code === KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS) await options.onRevoke?.(assignment);
    },
  });
}

export function createAdmin(config: Config, log: Logger, clientId: string): Admin {
  return kafka(config, log, clientId).admin();
}

/** The Kafka message of a CloudEvent: key = orderId (one partition per order), structured JSON mode. */
export function eventMessage(topic: string, event: CloudEvent): OutgoingMessage {
  return {
    topic,
    key: event.subject,
    value: encodeEvent(event),
    headers: { 'content-type': cloudEventContentType },
  };
}

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

export interface ConsumedOffset {
  topic: string;
  partition: number;
  /** The last offset processed; the transaction commits the next one. */
  offset: string;
}

/**
 * Produces `messages` and commits the consumer's offsets in one Kafka transaction: either all become
 * visible to read_committed readers or none does.
 */
export function commitTransaction(
  producer: Producer,
  consumer: Consumer,
  messages: OutgoingMessage[],
  consumed: ConsumedOffset[],
  log?: Logger,
): Promise<void> {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of consumed) {
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset: nextOffset(offset) }]);
  }
  return transactionally(
    producer,
    async (transaction) => {
      await produce(transaction, messages);
      await transaction.sendOffsets({
        consumer,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    },
    log,
  );
}

/** Produces `messages` in one transaction of a transactional producer: all become visible, or none. */
export function produceAtomically(producer: Producer, messages: OutgoingMessage[], log?: Logger): Promise<void> {
  return transactionally(producer, (transaction) => produce(transaction, messages), log);
}

/** True when this instance must end: another live instance with its transactional.id fenced its producer. */
export function isFenced(error: unknown): boolean {
  return producerFailure(error)?.fenced === true;
}

/** True when the producer can never transact again but a new one with the same transactional.id can. */
export function needsNewProducer(error: unknown): boolean {
  return producerFailure(error)?.fenced === false;
}

/**
 * Where a read_committed consumer's reading ends in each partition of `topic`: the last stable offset, which
 * an open transaction (of a producer that died mid-transaction, say) holds back until it ends.
 */
export function readableEnds(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  return admin.fetchTopicOffsets(topic, { isolationLevel: KafkaJS.IsolationLevel.READ_COMMITTED });
}

/**
 * Disconnects `client`, waiting at most `ms`: a client stuck in librdkafka (a stalled consumer, a producer whose
 * transaction never ends) is abandoned rather than waited on. Never rejects.
 */
export async function disconnectWithin(client: { disconnect(): Promise<void> }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.disconnect().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms).unref())),
  ]);
  clearTimeout(timer);
}

/** The committed offset that marks `offset` as processed: the next one to read. */
export function nextOffset(offset: string): string {
  return String(BigInt(offset) + 1n);
}

/** The value of a message header as a string. */
export function headerText(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
