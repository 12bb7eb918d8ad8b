// What a group member (group-consumer.ts) has fetched and not handed on, per partition, and the batches it handed
// on: one batch per partition at a time, at most `concurrency` at once. A partition sought, paused, assigned or
// revoked drops what it fetched; its batch in flight goes stale. No client I/O here: the member applies the seeks.
import type { Message } from '@confluentinc/kafka-javascript';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KafkaMessage } from './client.js';
import { kafkaMessage } from './follower-reader.js';

/** One partition's messages, in order, as `eachBatch` gets them. */
export interface GroupBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface GroupBatchPayload {
  batch: GroupBatch;
  /** The batch's messages up to this offset are handled: after the batch, the partition is read on from the next. */
  resolveOffset(offset: string): void;
  /** Stops reading the partition until the function returned is called; it is read again from the first message not resolved. */
  pause(): () => void;
  /** False once the member is leaving. */
  isRunning(): boolean;
  /** True once the partition was sought, revoked or assigned again: the batch's messages are read again or go. */
  isStale(): boolean;
}

/** A partition's place to read from next. */
export interface SeekTo {
  topic: string;
  partition: number;
  offset: number;
}

export interface PartitionBatchesOptions {
  batchSize: number;
  concurrency: number;
  eachBatch(payload: GroupBatchPayload): Promise<void>;
  /** True while the member holds this `topic/partition`. */
  holds(key: string): boolean;
  /** Pauses or resumes fetching a partition (the client's pause / resume). */
  fetching(partition: { topic: string; partition: number }, on: boolean): void;
  isRunning(): boolean;
  /** Told when a batch ended. */
  onBatchEnd(): void;
  log: Logger;
}

export interface PartitionBatches {
  /** Takes fetched messages, hands batches on. Messages of a partition not held, paused or sought are dropped. */
  add(messages: Message[]): void;
  /** Reads a partition again from `offset`: what was fetched of it is dropped, its batch in flight goes stale. */
  seek(position: SeekTo): void;
  /** The seeks asked for since the last call, for the member to apply before it fetches again. */
  takeSeeks(): SeekTo[];
  /** Partitions assigned or revoked: what was known of them is dropped. */
  changed(partitions: { topic: string; partition: number }[]): void;
  /** How many fetched messages wait. */
  buffered(): number;
  /** Resolves once the batches in flight now have ended. */
  settled(): Promise<void>;
}

export const partitionKey = ({ topic, partition }: { topic: string; partition: number }): string =>
  `${topic}/${partition}`;

/** @example const batches = partitionBatches({ batchSize: 500, concurrency: 6, eachBatch, holds, fetching, ... }); */
export function partitionBatches(options: PartitionBatchesOptions): PartitionBatches {
  const { batchSize, concurrency, log } = options;
  const queues = new Map<string, Message[]>();
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  // Bumped when a partition is sought, assigned or revoked: its batch in flight is stale from then on.
  const epochs = new Map<string, number>();
  // Partitions paused by a batch (a retry's back-off), each with the pause's token.
  const held = new Map<string, object>();
  const seeks = new Map<string, SeekTo>();

  const forget = (key: string): void => {
    epochs.set(key, (epochs.get(key) ?? 0) + 1);
    queues.delete(key);
  };
  const seek = (position: SeekTo): void => {
    const key = partitionKey(position);
    if (!options.holds(key)) return;
    forget(key);
    seeks.set(key, position);
  };

  const start = (key: string, messages: Message[]): void => {
    const { topic, partition, offset: first } = messages[0]!;
    const last = messages.at(-1)!.offset;
    const epoch = epochs.get(key);
    let resolved = -1;
    const payload: GroupBatchPayload = {
      batch: { topic, partition, messages: messages.map(kafkaMessage) },
      resolveOffset: (offset) => void (resolved = Number(offset)),
      pause() {
        if (!options.holds(key)) return () => undefined;
        const token = {};
        held.set(key, token);
        queues.delete(key);
        options.fetching({ topic, partition }, false);
        return () => {
          if (held.get(key) !== token) return;
          held.delete(key);
          options.fetching({ topic, partition }, true);
        };
      },
      isRunning: options.isRunning,
      isStale: () => epochs.get(key) !== epoch,
    };
    busy.add(key);
    const batch = options
      .eachBatch(payload)
      .catch((error: unknown) => {
        log.error('batch failed', { topic, partition, error: describeError(error) });
      })
      .finally(() => {
        busy.delete(key);
        inFlight.delete(batch);
        // What the batch did not resolve is read again, unless its partition moved meanwhile.
        if (epochs.get(key) === epoch && resolved < last)
          seek({ topic, partition, offset: Math.max(first, resolved + 1) });
        dispatch();
        options.onBatchEnd();
      });
    inFlight.add(batch);
  };

  const dispatch = (): void => {
    for (const [key, queue] of queues) {
      if (!options.isRunning() || inFlight.size >= concurrency) return;
      if (busy.has(key)) continue;
      const messages = queue.splice(0, batchSize);
      if (queue.length === 0) queues.delete(key);
      start(key, messages);
    }
  };

  return {
    add(messages) {
      for (const message of messages) {
        const key = partitionKey(message);
        if (held.has(key) || seeks.has(key) || !options.holds(key)) continue;
        const queue = queues.get(key);
        if (queue === undefined) queues.set(key, [message]);
        else queue.push(message);
      }
      dispatch();
    },
    seek,
    takeSeeks() {
      const taken = [...seeks.values()];
      seeks.clear();
      return taken;
    },
    changed(partitions) {
      for (const partition of partitions) {
        const key = partitionKey(partition);
        forget(key);
        held.delete(key);
        seeks.delete(key);
      }
    },
    buffered: () => [...queues.values()].reduce((sum, queue) => sum + queue.length, 0),
    settled: async () => {
      await Promise.allSettled(inFlight);
    },
  };
}
