// One consumer of a follower (follower.ts): it reads given partitions from given offsets, a bounded consume call
// at a time, until it is stopped; the follower replaces it when it stands still.
import { randomUUID } from 'node:crypto';
import type { ConsumerGlobalConfig, KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { metadataRefreshMs, type KafkaMessage } from './client.js';
import { answeredWithin } from '../unanswered.js';

const closeWaitMs = 3000;
const consumeTimeoutMs = 50;
const consumeBatch = 500;

// The client gives each message its own Buffers: they are used as they are, copied only from a string.
const asBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

/** The message as the shop's code reads it (KafkaJS's shape). */
export function kafkaMessage(message: Message): KafkaMessage {
  const headers: Record<string, Buffer> = {};
  for (const header of message.headers ?? []) {
    for (const name in header) headers[name] ??= asBuffer(header[name]);
  }
  return {
    key: message.key === undefined || message.key === null ? null : asBuffer(message.key),
    value: message.value,
    offset: String(message.offset),
    timestamp: String(message.timestamp ?? 0),
    headers,
    attributes: 0,
  };
}

/** The settings of a follower's consumer: read_committed, no group of the shop's, no commits. */
export function followerSettings(config: Config): ConsumerGlobalConfig {
  return {
    'metadata.broker.list': config.kafkaBrokers,
    'client.id': 'follower',
    'group.id': `follower-${randomUUID()}`,
    'enable.auto.commit': false,
    'enable.partition.eof': true,
    'isolation.level': 'read_committed',
    // The broker answers a fetch as soon as data arrives; a longer wait only saves idle polling.
    'fetch.wait.max.ms': 100,
    // After a broker restart a partition's leader can stay unknown until the next full refresh (see client.ts):
    // the follower would then never reach that partition's end.
    'topic.metadata.refresh.interval.ms': metadataRefreshMs,
  };
}

/** One consumer of a follower, reading its partitions from given offsets until `stop()`. */
export interface Reader {
  /** True once every assigned partition has answered once (a message or its end). */
  answered(): boolean;
  /** Reads these partitions too, from the offsets given. */
  add(positions: Position[]): void;
  /** Stops reading these partitions; a message of theirs already fetched may still be passed. */
  remove(partitions: FollowedPartition[]): void;
  /** Stops reading (once, however often called); resolves false when the disconnect had to be left unfinished. */
  stop(): Promise<boolean>;
}

export type Position = { topic: string; partition: number; offset: number };

/** The offset that reads a partition from its beginning. */
export const offsetBeginning = -2;

/** A partition of a followed topic. */
export type FollowedPartition = Omit<Position, 'offset'>;

/** `topic/partition`: how the follower keys what it knows of a partition. */
export const keyOf = ({ topic, partition }: FollowedPartition): string => `${topic}/${partition}`;

// The client's KafkaConsumer has these (lib/kafka-consumer.js), but its type declarations leave them out.
type Incremental = {
  incrementalAssign(positions: Position[]): void;
  incrementalUnassign(partitions: FollowedPartition[]): void;
};

/**
 * Connects a consumer, assigns it `positions` and reads them, one bounded consume call at a time, never the
 * client's background consume loop: a message that loop fetched but had not handed over yet when disconnect()
 * began keeps librdkafka's destroy waiting forever, and with it the process's exit. Between calls nothing is held.
 */
export async function startReader(
  consumer: KafkaConsumer,
  positions: Position[],
  log: Logger,
  read: { message(message: Message): void; end(topic: string, partition: number, offset: number): void },
): Promise<Reader> {
  const seen = new Set<string>();
  const assigned = new Set(positions.map(keyOf));
  let stopped = false;
  let stopping: Promise<boolean> | undefined;
  consumer.on('data', (message: Message) => {
    if (stopped) return;
    seen.add(`${message.topic}/${message.partition}`);
    read.message(message);
  });
  consumer.on('partition.eof', ({ topic, partition, offset }) => {
    if (stopped) return;
    seen.add(`${topic}/${partition}`);
    read.end(topic, partition, offset);
  });
  consumer.on('event.error', (error) => log.warn('follower consumer error', { error: error.message }));
  await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
  consumer.assign(positions);
  // Each call returns after at most 50 ms, so stop() never waits long for the one in flight.
  consumer.setDefaultConsumeTimeout(consumeTimeoutMs);
  const consumeOnce = (): Promise<void> =>
    new Promise((resolve) => {
      consumer.consume(consumeBatch, (error) => {
        if (!error) return resolve();
        log.warn('follower consume failed', { error: error.message });
        setTimeout(resolve, consumeTimeoutMs);
      });
    });
  const incremental = consumer as unknown as Incremental;
  // A partition that failed to be added stands still behind its end: the follower's stuck check replaces the reader.
  const change = (call: () => void): void => {
    try {
      call();
    } catch (error) {
      log.warn('follower could not change its partitions', { error: String(error) });
    }
  };
  const pump = (async () => {
    while (!stopped) await consumeOnce();
  })();
  return {
    answered: () => [...assigned].every((key) => seen.has(key)),
    add(added) {
      if (stopped || added.length === 0) return;
      for (const position of added) {
        assigned.add(keyOf(position));
        seen.delete(keyOf(position));
      }
      change(() => incremental.incrementalAssign(added));
    },
    remove(removed) {
      if (stopped || removed.length === 0) return;
      for (const partition of removed) assigned.delete(keyOf(partition));
      change(() => incremental.incrementalUnassign(removed));
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        await pump;
        return answeredWithin(
          new Promise<boolean>((resolve) => consumer.disconnect(() => resolve(true))),
          closeWaitMs,
          () => false,
        );
      })();
      return stopping;
    },
  };
}
