// Kafka clients built with the project's settings: durable idempotent producers, manual-commit read_committed
// consumers, admins, and letting go of one that does not answer. src/kafka/ is the only folder that imports the client.
import { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { kafkaLogger, type Logger } from '../logger.js';
import { answeredWithin } from '../unanswered.js';
import { repairClientErrors } from './client-repair.js';
import { consumerLag, type PartitionLag } from './statistics.js';

repairClientErrors();

export type Producer = KafkaJS.Producer;
export type Consumer = KafkaJS.Consumer;
export type Admin = KafkaJS.Admin;
export type KafkaMessage = KafkaJS.KafkaMessage;
export type EachBatchPayload = KafkaJS.EachBatchPayload;
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
  /**
   * Partition p of every subscribed topic goes to the same member (the range assignor), for topics
   * co-partitioned by key; else the uniform (KIP-848) or cooperative-sticky (classic) one, which moves fewer.
   */
  coPartitioned?: boolean;
  /** Upper bound for one batch's processing before the group evicts the member. */
  maxPollIntervalMs?: number;
  /** Called when partitions are added to this member. */
  onAssign?(partitions: TopicPartition[]): void;
  /** Awaited before partitions are taken away: the moment to finish and commit their work. */
  onRevoke?(partitions: TopicPartition[]): Promise<void>;
  /** Told the lag of each held partition every STATISTICS_INTERVAL_MS (librdkafka's statistics); 0 turns it off. */
  onLag?(partitions: PartitionLag[]): void;
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
    ...groupProtocol(config, options.coPartitioned === true),
    'max.poll.interval.ms': options.maxPollIntervalMs ?? defaultMaxPollIntervalMs,
    'js.consumer.max.batch.size': config.actorBatchSize,
    // The broker answers a fetch as soon as data arrives; a longer wait only saves idle polling.
    'fetch.wait.max.ms': 100,
    'socket.nagle.disable': true,
    ...(options.onLag === undefined || config.statisticsIntervalMs === 0
      ? {}
      : {
          'statistics.interval.ms': config.statisticsIntervalMs,
          stats_cb: (event: { message: string }) => options.onLag?.(consumerLag(event.message)),
        }),
    rebalance_cb: async (error: { code: number }, assignment: TopicPartition[]) => {
      if (error.code === KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS) options.onAssign?.(assignment);
      else if (error.code === KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS) await options.onRevoke?.(assignment);
    },
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
