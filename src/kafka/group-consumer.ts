// A member of a consumer group on the client's low-level API, for the actors: a bounded consume call at a time,
// each partition's messages handed to `eachBatch` one batch at a time, at most `concurrency` batches at once, and
// nothing committed but by the caller. The KafkaJS-style layer costs about as much CPU again per message read
// (bench/client-cost.ts).
import kafkaJavascript, { type KafkaConsumer, type Message, type TopicPartition } from '@confluentinc/kafka-javascript';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { routeClientLogs, type MemberSettings } from './client.js';
import { rebalanceListener, type GroupChanges } from './group-rebalance.js';
import { partitionBatches, partitionKey, type GroupBatchPayload } from './partition-batches.js';
import { consumerLag, type PartitionLag } from './statistics.js';

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { KafkaConsumer: ClientConsumer } = kafkaJavascript;

/** The client's consumer under a group member. */
export type GroupClient = KafkaConsumer;

/** Builds the client's consumer of a group member from its settings (memberSettings, with the rebalance callback). */
export type MemberFactory = (settings: MemberSettings) => GroupClient;

/** The client's consumer with `settings`: what a group member is built on unless told otherwise. */
export const newGroupClient: MemberFactory = (settings) => new ClientConsumer(settings);

export type { GroupBatch, GroupBatchPayload } from './partition-batches.js';

export interface GroupMemberOptions extends GroupChanges {
  topics: readonly string[];
  /** The most messages of one partition in one batch. */
  batchSize: number;
  /** How many partitions' batches may be in flight at once. */
  concurrency: number;
  eachBatch(payload: GroupBatchPayload): Promise<void>;
  /** Told the lag of each held partition at each of librdkafka's statistics (settings with statistics on). */
  onLag?(partitions: PartitionLag[]): void;
  /** Builds the client's consumer; a test gives one it can stall. */
  newConsumer?: MemberFactory;
  log: Logger;
}

export interface GroupMember {
  /** The client's consumer: a transaction commits the group's offsets through it. */
  client: GroupClient;
  /** Reads a partition again from `offset` (its later batches in flight go stale). */
  seek(topic: string, partition: number, offset: string): void;
  /** The group's committed offsets of `partitions` (the next to read; negative when it has none). */
  committed(partitions: TopicPartition[], timeoutMs: number): Promise<{ partition: number; offset: string }[]>;
  /**
   * Where the consumer reads `partitions` next (`offset`: past the messages it read, and past the aborted
   * transactions and transaction markers it skipped), and the offset after the last message it read (`readTo`);
   * negative when unknown. Asks the broker nothing.
   */
  positions(partitions: TopicPartition[]): { partition: number; offset: string; readTo: string }[];
  /** Stops reading, waits for the batches in flight, leaves the group. */
  disconnect(): Promise<void>;
}

// A read waits this long for a first message, then takes only what has arrived by then: a message is handed on as
// soon as it is fetched, and a leaving member waits at most this long for the call in flight.
const consumeTimeoutMs = 100;
const seekTimeoutMs = 1000;

/**
 * Connects a consumer with `settings`, subscribes to the topics and reads until `disconnect()`.
 * @example const member = await joinGroup(memberSettings(config, clientId, { groupId }), { topics, eachBatch, ... });
 */
export async function joinGroup(settings: MemberSettings, options: GroupMemberOptions): Promise<GroupMember> {
  const { log, batchSize } = options;
  let running = true;
  let wake = (): void => undefined;
  const rebalance = rebalanceListener(() => consumer, options, {
    changed: (partitions) => batches.changed(partitions),
    leaving: () => !running,
    log,
  });
  const consumer = (options.newConsumer ?? newGroupClient)({ ...settings, rebalance_cb: rebalance.callback });
  const batches = partitionBatches({
    ...options,
    holds: rebalance.holds,
    fetching(partition, on) {
      try {
        if (on) consumer.resume([partition]);
        else consumer.pause([partition]);
      } catch (error) {
        // Revoked meanwhile: its next owner reads it from the committed offset.
        log.warn('partition not paused or resumed', { ...partition, on, error: describeError(error) });
      }
    },
    isRunning: () => running,
    onBatchEnd: () => wake(),
  });
  routeClientLogs(consumer, log);
  consumer.on('event.error', (error) => log.warn('consumer error', { error: error.message }));
  if (options.onLag !== undefined) {
    const told = options.onLag;
    consumer.on('event.stats', (event: { message: string }) => told(consumerLag(event.message)));
  }

  const applySeeks = async (): Promise<void> => {
    for (const position of batches.takeSeeks()) {
      await new Promise<void>((resolve) =>
        consumer.seek(position, seekTimeoutMs, (error) => {
          if (error) log.warn('partition not read again', { ...position, error: error.message });
          resolve();
        }),
      );
    }
  };

  const consume = (count: number, timeoutMs: number): Promise<Message[]> =>
    new Promise((resolve) => {
      consumer.setDefaultConsumeTimeout(timeoutMs);
      consumer.consume(count, (error, messages) => {
        if (!error) return resolve(messages);
        log.warn('consume failed', { error: error.message });
        setTimeout(() => resolve([]), consumeTimeoutMs);
      });
    });
  // Two calls: the first waits for a message, the second takes what is queued and waits for nothing. One call with
  // the client's "timeout only for the first message" would wait 1 ms for each further message, so a steady
  // trickle (a busy co-partitioned input) could hold a batch back for up to batchSize ms.
  const consumeOnce = async (): Promise<Message[]> => {
    const first = await consume(1, consumeTimeoutMs);
    if (first.length === 0 || batchSize === 1) return first;
    return [...first, ...(await consume(batchSize - 1, 0))];
  };

  // Per partition, the offset after the last message read (handed on, or dropped by the batches).
  const readTo = new Map<string, number>();
  // At most this many messages wait: a partition whose batch runs long holds back the reading.
  const bufferLimit = batchSize * options.concurrency;
  const read = async (): Promise<void> => {
    while (running) {
      await applySeeks();
      if (batches.buffered() >= bufferLimit) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, consumeTimeoutMs);
        });
        continue;
      }
      const messages = await consumeOnce();
      for (const { topic, partition, offset } of messages) {
        const key = partitionKey({ topic, partition });
        readTo.set(key, Math.max(readTo.get(key) ?? -1, offset + 1));
      }
      if (running) batches.add(messages);
    }
  };

  await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
  consumer.subscribe([...options.topics]);
  const reading = read().catch((error: unknown) => {
    log.error('consumer stopped reading', { error: describeError(error) });
  });

  return {
    client: consumer,
    seek: (topic, partition, offset) => batches.seek({ topic, partition, offset: Number(offset) }),
    committed: (partitions, timeoutMs) =>
      new Promise((resolve, reject) =>
        consumer.committed(partitions, timeoutMs, (error, offsets) =>
          error
            ? reject(error)
            : resolve(offsets.map(({ partition, offset }) => ({ partition, offset: String(offset ?? -1) }))),
        ),
      ),
    positions: (partitions) =>
      consumer.position(partitions).map(({ topic, partition, offset }) => ({
        partition,
        offset: String(offset ?? -1),
        readTo: String(readTo.get(partitionKey({ topic, partition })) ?? -1),
      })),
    async disconnect() {
      running = false;
      wake();
      await reading;
      await batches.settled();
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    },
  };
}
