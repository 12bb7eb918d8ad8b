// Kafka clients built with the project's settings: durable idempotent producers, manual-commit read_committed
// consumers, admins, and letting go of one that does not answer. src/kafka/ is the only folder that imports the client.
import {
  KafkaJS,
  type ConsumerGlobalConfig,
  type ConsumerTopicConfig,
  type ProducerGlobalConfig,
  type ProducerTopicConfig,
} from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { kafkaLogger, type Logger } from '../logger.js';
import { answeredWithin } from '../unanswered.js';
import { repairClientErrors } from './client-repair.js';

repairClientErrors();

export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type TopicPartition = KafkaJS.TopicPartition;
export type TopicMetadata = KafkaJS.ITopicMetadata;

// After a broker restart librdkafka can keep a partition's leader as unknown until its next full metadata
// refresh (5 minutes by default; confluentinc/librdkafka#4976): a transactional producer's sends to it then time
// out again and again. Refreshing every 10 s bounds that to seconds, at the cost of one small request.
export const metadataRefreshMs = 10000;

function kafka(config: Config, log: Logger, clientId: string): KafkaJS.Kafka {
  return new KafkaJS.Kafka({
    kafkaJS: { brokers: config.kafkaBrokers.split(','), clientId, logger: kafkaLogger(log) },
    'topic.metadata.refresh.interval.ms': metadataRefreshMs,
    ...(config.kafkaDebug ? { debug: config.kafkaDebug } : {}),
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
export const transactionTimeoutMs = 60000;

/**
 * An idempotent producer (acks=all, no duplicates on retry) that places keys like the Java client does.
 * `linger.ms` comes from PRODUCER_LINGER_MS: concurrent sends still share batches.
 */
export function createProducer(config: Config, log: Logger, clientId: string, options: ProducerOptions = {}): Producer {
  return kafka(config, log, clientId).producer(producerSettings(config, options));
}

/** The settings of createProducer's producers, for the client's low-level Producer too (with its broker list). */
export function producerSettings(
  config: Config,
  options: ProducerOptions = {},
): ProducerGlobalConfig & ProducerTopicConfig {
  return {
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
  };
}

export interface ConsumerOptions {
  groupId: string;
  /**
   * Partition p of every subscribed topic goes to the same member (the range assignor), for topics
   * co-partitioned by key; else the uniform (KIP-848) or cooperative-sticky (classic) one, which moves fewer.
   */
  coPartitioned?: boolean;
  /** Upper bound for one batch's processing before the group evicts the member. */
  maxPollIntervalMs?: number;
}

// KIP-848 (`consumer`): the broker assigns and times sessions out (group.consumer.session.timeout.ms, 3 s on the
// project's brokers), and a member that leaves says so at once. `classic`: the client's assignor and session timeout.
function groupProtocol(config: Config, coPartitioned: boolean): Record<string, string | number> {
  if (config.groupProtocol === 'consumer') {
    return { 'group.protocol': 'consumer', 'group.remote.assignor': coPartitioned ? 'range' : 'uniform' };
  }
  return {
    'group.protocol': 'classic',
    'partition.assignment.strategy': coPartitioned ? 'range' : 'cooperative-sticky',
    // A crashed instance's partitions wait this long for a new owner.
    'session.timeout.ms': config.sessionTimeoutMs,
  };
}

/** librdkafka's own default: a member that has not polled for this long leaves its group. */
export const defaultMaxPollIntervalMs = 300000;

/** What every consumer of a group here is: it never commits by itself and reads only committed transactional data. */
function groupReading(config: Config, options: ConsumerOptions) {
  return {
    'group.id': options.groupId,
    'enable.auto.commit': false,
    'auto.offset.reset': 'earliest' as const,
    'isolation.level': 'read_committed' as const,
    ...groupProtocol(config, options.coPartitioned === true),
    'max.poll.interval.ms': options.maxPollIntervalMs ?? defaultMaxPollIntervalMs,
    // The broker answers a fetch as soon as data arrives; a longer wait only saves idle polling.
    'fetch.wait.max.ms': 100,
    'socket.nagle.disable': true,
  };
}

/**
 * A KafkaJS-style consumer (groupReading), for the tools and tests that read topics; the actors' group members are
 * on the low-level API (memberSettings).
 */
export function createConsumer(config: Config, log: Logger, clientId: string, options: ConsumerOptions): Consumer {
  return kafka(config, log, clientId).consumer({
    ...groupReading(config, options),
    'js.consumer.max.batch.size': config.actorBatchSize,
  });
}

/** What a client on the low-level API takes from the project's config, as `kafka()` gives the KafkaJS-style ones. */
export function lowLevelClient(config: Config, clientId: string) {
  return {
    'metadata.broker.list': config.kafkaBrokers,
    'client.id': clientId,
    'topic.metadata.refresh.interval.ms': metadataRefreshMs,
    ...(config.kafkaDebug ? { debug: config.kafkaDebug } : {}),
  };
}

/** The settings of a group member on the client's low-level API (group-consumer.ts): as createConsumer's. */
export type MemberSettings = ConsumerGlobalConfig & ConsumerTopicConfig;

/**
 * A member of `groupId` on the client's low-level API (groupReading), with librdkafka's statistics if asked. With
 * `fetchWaitMs` the broker holds each fetch that long, or until 1 MiB (seldom), not just until anything is there.
 */
export function memberSettings(
  config: Config,
  clientId: string,
  options: ConsumerOptions & { statistics?: boolean; fetchWaitMs?: number },
): MemberSettings {
  return {
    ...groupReading(config, options),
    ...lowLevelClient(config, clientId),
    ...(options.statistics === true && config.statisticsIntervalMs > 0
      ? { 'statistics.interval.ms': config.statisticsIntervalMs }
      : {}),
    ...(options.fetchWaitMs ? { 'fetch.wait.max.ms': options.fetchWaitMs, 'fetch.min.bytes': 1 << 20 } : {}),
  };
}

interface ClientLogLine {
  severity: number;
  fac: string;
  message: string;
}

/** Routes a low-level client's own log lines (syslog severities) through `log`, as the KafkaJS-style clients do. */
export function routeClientLogs(
  client: { on(event: 'event.log', listener: (line: ClientLogLine) => void): unknown },
  log: Logger,
): void {
  const kafkaLog = kafkaLogger(log);
  client.on('event.log', ({ severity, fac, message }) => {
    const extra = { fac };
    if (severity <= 3) kafkaLog.error(message, extra);
    else if (severity === 4) kafkaLog.warn(message, extra);
    else kafkaLog.debug(message, extra);
  });
}

/** An admin client (topics, offsets, groups); connect it before use. */
export function createAdmin(config: Config, log: Logger, clientId: string): Admin {
  return kafka(config, log, clientId).admin();
}

/**
 * Disconnects `client`, waiting at most `ms`: a client stuck in librdkafka (a stalled consumer, a producer whose
 * transaction never ends) is abandoned rather than waited on. Never rejects; resolves false when abandoned.
 */
export function disconnectWithin(client: { disconnect(): Promise<void> }, ms: number): Promise<boolean> {
  return answeredWithin(
    client.disconnect().then(
      () => true,
      () => true,
    ),
    ms,
    () => false,
  );
}
