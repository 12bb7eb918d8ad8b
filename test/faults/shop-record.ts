// What the shop's topics hold, read_committed from the beginning, and when the shop has settled: every
// actor has committed past every message on its input, so nothing more can appear on the topics.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../src/config.js';
import { topic, topicDefinitions, topicNames, type TopicName } from '../../src/contracts/topics.js';
import { createConsumer, type KafkaMessage } from '../../src/kafka/client.js';
import { followTopics, type TopicFollower } from '../../src/kafka/follower.js';
import { readToEnd, type StoredMessage } from '../../src/kafka/reader.js';
import type { Logger } from '../../src/logger.js';
import { withTimeout } from '../../src/timeout.js';

export interface RecordedMessage {
  partition: number;
  offset: number;
  key: string | undefined;
  message: KafkaMessage;
}

/** Every committed message of the shop's topics, by topic, in partition order. */
export type ShopRecord = Record<TopicName, RecordedMessage[]>;

/** The actors' consumer groups (without the prefix) and the topics they consume. */
export const actorInputs = {
  payment: 'order_created',
  shipping: 'payment_completed',
  notification: 'payment_failed',
} as const satisfies Record<string, TopicName>;

const emptyRecord = (): ShopRecord => Object.fromEntries(topicNames.map((name) => [name, []])) as unknown as ShopRecord;

function recorderOf(config: Config): { record: ShopRecord; add(message: StoredMessage): void; topics: string[] } {
  const names = new Map(topicNames.map((name) => [topic(config.topicPrefix, name), name]));
  const record = emptyRecord();
  return {
    record,
    topics: [...names.keys()],
    add({ topic: full, partition, message }) {
      const name = names.get(full);
      if (name) record[name].push({ partition, offset: Number(message.offset), key: message.key?.toString(), message });
    },
  };
}

/** Reads every topic of the shop to its read_committed end, with a fresh reader: the checker's verdict. */
export async function readShop(config: Config, log: Logger, timeoutMs = 30000): Promise<ShopRecord> {
  const { record, topics, add } = recorderOf(config);
  // readToEnd bounds its catching up, not its connecting: bound the whole, so a hang fails the test.
  const boundMs = timeoutMs + 15000;
  const messages = await withTimeout(readToEnd(config, log, topics, timeoutMs), boundMs, () => {
    throw new Error(`readToEnd took more than ${boundMs} ms`);
  });
  messages.forEach(add);
  return record;
}

export interface ShopRecorder {
  /** What has been read so far; grows while the recorder follows the topics. */
  record: ShopRecord;
  catchUp: TopicFollower['catchUp'];
  close(): Promise<void>;
}

/** Follows every topic of the shop from its beginning until `close()`, for watching progress cheaply. */
export async function recordShop(config: Config, log: Logger): Promise<ShopRecorder> {
  const { record, topics, add } = recorderOf(config);
  const follower = await followTopics(config, log, {
    topics,
    onMessage: (name, partition, message) => add({ topic: name, partition, message }),
  });
  return { record, catchUp: (timeoutMs) => follower.catchUp(timeoutMs), close: () => follower.close() };
}

/** Per partition: the offset after the last committed message, i.e. where a consumer that is done stands. */
function endsOf(messages: RecordedMessage[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const { partition, offset } of messages) ends.set(partition, Math.max(ends.get(partition) ?? 0, offset + 1));
  return ends;
}

/** Committed offsets by actor and partition. */
export type CommittedOffsets = Map<string, Map<number, number>>;

export interface OffsetReader {
  committed(): Promise<CommittedOffsets>;
  close(): Promise<void>;
}

/**
 * Reads the actors' committed offsets through one idle consumer per group (connected, never subscribed, so
 * it never joins). Not admin.fetchOffsets: with librdkafka 2.15.1 a ListConsumerGroupOffsets request that
 * timed out while the broker was away aborts the process when the broker comes back (enq_once assertion).
 */
export async function openOffsetReader(config: Config, log: Logger): Promise<OffsetReader> {
  const readers = Object.entries(actorInputs).map(([actor, input]) => ({
    actor,
    input: topic(config.topicPrefix, input),
    partitions: topicDefinitions().find((definition) => definition.name === input)!.partitions,
    consumer: createConsumer(config, log, `fault-checker-${actor}`, { groupId: `${config.topicPrefix}${actor}` }),
  }));
  await Promise.all(readers.map(({ consumer }) => consumer.connect()));
  return {
    async committed() {
      const committed: CommittedOffsets = new Map();
      for (const { actor, input, partitions, consumer } of readers) {
        const wanted = Array.from({ length: partitions }, (_, partition) => ({ topic: input, partition }));
        const offsets = await consumer.committed(wanted, 10000);
        committed.set(actor, new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)])));
      }
      return committed;
    },
    async close() {
      await Promise.allSettled(readers.map(({ consumer }) => consumer.disconnect()));
    },
  };
}

/** The actors whose committed offsets stand before a message of `record` on their input: they have work left. */
export function actorsBehind(committed: CommittedOffsets, record: ShopRecord): string[] {
  const behind: string[] = [];
  for (const [actor, input] of Object.entries(actorInputs)) {
    for (const [partition, end] of endsOf(record[input])) {
      const at = committed.get(actor)?.get(partition) ?? -1;
      if (at < end) behind.push(`${actor} p${partition} at ${at} of ${end}`);
    }
  }
  return behind;
}

export interface SettleResult {
  /** The verdict's record: a fresh read (readToEnd) once settled, else what the recorder has seen. */
  record: ShopRecord;
  /** False when the deadline passed first; `waitingFor` says on what. */
  settled: boolean;
  waitingFor: string[];
  /** Milliseconds the wait took. */
  ms: number;
}

/**
 * Polls until every actor has committed past every message on its input and `pending(record)` is empty,
 * or the deadline passes. The offsets are fetched before the topics are read: when they stand past every
 * message read, every output of those messages was committed with them and is in the record.
 */
export async function settle(
  offsets: OffsetReader,
  recorder: ShopRecorder,
  config: Config,
  log: Logger,
  pending: (record: ShopRecord) => string[],
  timeoutMs: number,
): Promise<SettleResult> {
  const started = performance.now();
  const waiting = async (read: () => Promise<ShopRecord>): Promise<[ShopRecord | undefined, string[]]> => {
    try {
      const committed = await offsets.committed();
      const record = await read();
      return [record, [...actorsBehind(committed, record), ...pending(record)]];
    } catch (error) {
      return [undefined, [`reading the shop: ${(error as Error).message}`]];
    }
  };
  // The recorder follows the topics cheaply; once it could not catch up, fresh reads tell the progress instead. (A
  // following reader stood still for good once after a broker's kill -9, while the shop itself had settled.)
  let recorderBehind = false;
  const progress = async (): Promise<ShopRecord> => {
    if (recorderBehind) return readShop(config, log);
    try {
      await recorder.catchUp(20000);
      return recorder.record;
    } catch (error) {
      recorderBehind = true;
      log.warn('the shop recorder did not catch up, reading afresh', { error: (error as Error).message });
      return readShop(config, log);
    }
  };
  for (;;) {
    const [seen, waitingFor] = await waiting(progress);
    if (seen && waitingFor.length === 0) {
      // Settled as far as the recorder can tell: the verdict comes from a fresh read.
      const [record, stillWaiting] = await waiting(() => readShop(config, log));
      const ms = Math.round(performance.now() - started);
      if (record && stillWaiting.length === 0) return { record, settled: true, waitingFor: [], ms };
    }
    const ms = Math.round(performance.now() - started);
    if (ms > timeoutMs) return { record: seen ?? recorder.record, settled: false, waitingFor, ms };
    await sleep(500);
  }
}
