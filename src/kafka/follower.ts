// Following whole topics from their beginning or a time (every partition, no group, no commits), with a precise
// "caught up" signal: the partition EOF of a read_committed consumer sits past transaction markers.
import { setTimeout as sleep } from 'node:timers/promises';
import kafkaJavascript, {
  type ConsumerGlobalConfig,
  type KafkaConsumer as KafkaConsumerType,
  type Message,
} from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KafkaMessage } from './client.js';
import {
  followerSettings,
  kafkaMessage,
  keyOf,
  offsetBeginning,
  startReader,
  type FollowedPartition,
  type Position,
  type Reader,
} from './follower-reader.js';
import { followerSkips } from './follower-skips.js';
import { watchStuck } from './follower-watch.js';
import { topicEnds } from './topic-ends.js';
import { listedTopics } from './topics.js';

export type { FollowedPartition };

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { KafkaConsumer } = kafkaJavascript;
const closeWaitMs = 3000;
const startLookUpMs = 10000;

export interface TopicFollower {
  /** Resolves once every message committed before the call has been passed to `onMessage` (skipped ones aside). */
  catchUp(timeoutMs: number): Promise<void>;
  /**
   * Stops reading these partitions and keeps where the follower stands in each: what is written there from now on
   * is known another way (an actor's own outputs). `catchUp` and the stuck check leave them out until `resume`.
   */
  skip(partitions: FollowedPartition[]): void;
  /**
   * What was written to a skipped partition before `since` (ms) is known: it resumes at the first committed message
   * stamped then or later (looked up as it resumes), never before where it was skipped.
   */
  skipSince(written: FollowedPartition & { since: number }): void;
  /** Reads skipped partitions again, from their resume points. */
  resume(partitions: FollowedPartition[]): void;
  close(): Promise<void>;
}

export interface FollowOptions {
  topics: string[];
  onMessage(topic: string, partition: number, message: KafkaMessage): void;
  /** Reads from the first committed message stamped at this time (ms) or later, not from the beginning. */
  since?: number;
  /**
   * How often the follower checks that it is not standing still behind the topics' ends (default 10 s). Behind at
   * two checks in a row with nothing read between them, it replaces its consumer.
   */
  stuckCheckMs?: number;
  /** Makes each consumer; a test gives one it can stall. */
  newConsumer?(settings: ConsumerGlobalConfig): KafkaConsumerType;
}

/**
 * Reads every partition of `topics` from the beginning (or `since`) and keeps following them until `close()`. A
 * consumer that stands still behind the topics' ends (a stalled fetch, a leader it never finds again) is replaced by
 * a new one that reads on from where the follower stands: no message is passed twice or left out.
 * @example const follower = await followTopics(config, log, { topics, onMessage }); await follower.catchUp(10000);
 */
export async function followTopics(config: Config, log: Logger, options: FollowOptions): Promise<TopicFollower> {
  const ends = await topicEnds(config, log, options.topics);
  // Per partition, the next offset to pass on: past the last message passed, or the end the consumer reported.
  const reached = new Map<string, number>();
  let progress = 0;
  const advance = (topic: string, partition: number, offset: number): void => {
    const key = keyOf({ topic, partition });
    if (offset > (reached.get(key) ?? -1)) progress += 1;
    if (offset >= (reached.get(key) ?? 0)) reached.set(key, offset);
  };
  // What lies before these positions is known or not read: the follower stands there now.
  const standAt = (positions: Position[]): void => {
    for (const { topic, partition, offset } of positions) if (offset >= 0) advance(topic, partition, offset);
  };
  const read = {
    message(message: Message) {
      options.onMessage(message.topic, message.partition, kafkaMessage(message));
      advance(message.topic, message.partition, message.offset + 1);
    },
    end: advance,
  };
  const newConsumer = options.newConsumer ?? ((settings: ConsumerGlobalConfig) => new KafkaConsumer(settings));
  const newReader = (positions: Position[]): Promise<Reader> =>
    startReader(newConsumer(followerSettings(config)), positions, log, read);

  let reader: Reader;
  let closing = false;
  const skips = followerSkips({
    reached: (key) => reached.get(key),
    start(positions) {
      standAt(positions);
      reader.add(positions);
    },
    firstSince: ends.firstSince,
    closing: () => closing,
    notFound: (error) =>
      log.warn('follower resumes where it skipped', { topics: options.topics, error: String(error) }),
  });
  const behind = ([key, end]: [string, number]): boolean => !skips.skipped(key) && (reached.get(key) ?? -1) < end;
  const where = (targets: [string, number][]): string =>
    targets
      .filter(behind)
      .map(([key, end]) => `${key} at ${reached.get(key) ?? 'none'} of ${end}`)
      .join(', ');

  let assigned: Position[];
  const isAssigned = (partition: FollowedPartition): boolean =>
    assigned.some((position) => keyOf(position) === keyOf(partition));
  // Where a new reader starts: every partition not skipped, from where the follower stands.
  const readPositions = (): Position[] =>
    assigned
      .filter((position) => !skips.unread(keyOf(position)))
      .map((position) => ({ ...position, offset: reached.get(keyOf(position)) ?? offsetBeginning }));
  try {
    const metadata = await listedTopics(ends.admin(), options.topics);
    const starts = options.since === undefined ? undefined : await ends.startsSince(options.since, startLookUpMs);
    assigned = metadata.flatMap(({ name, partitions }) =>
      partitions.map(({ partitionId: partition }) => {
        const offset = starts?.get(keyOf({ topic: name, partition })) ?? offsetBeginning;
        return { topic: name, partition, offset };
      }),
    );
    standAt(assigned);
    reader = await newReader(assigned);
  } catch (error) {
    await ends.close();
    throw error;
  }

  const stopReader = async (stopping: Reader): Promise<void> => {
    if (!(await stopping.stop()))
      log.warn('follower disconnect is taking long, not waiting for it', { topics: options.topics });
  };
  const watch = watchStuck({
    everyMs: options.stuckCheckMs,
    topics: options.topics,
    log,
    readEnds: ends.read,
    behind,
    progress: () => progress,
    closing: () => closing,
    describe: where,
    async replace() {
      await stopReader(reader);
      const started = readPositions();
      const next = await newReader(started);
      // close() waits for a check only so long: a reader that connected after it stops at once.
      if (closing) return void (await next.stop());
      // Partitions skipped or resumed while it connected: the old reader was told, not this one.
      const now = readPositions();
      const [before, after] = [new Set(started.map(keyOf)), new Set(now.map(keyOf))];
      next.remove(started.filter((position) => !after.has(keyOf(position))));
      next.add(now.filter((position) => !before.has(keyOf(position))));
      reader = next;
    },
  });

  return {
    async catchUp(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Every partition must have answered once, even an empty one: a consumer closed before its first
      // fetch completes can hang in disconnect.
      const targets = await ends.read(timeoutMs);
      while (targets.some(behind)) {
        // Named only now: the loop checks every 10 ms.
        if (Date.now() > deadline) {
          throw new WebshopError('KAFKA_UNAVAILABLE', `did not catch up with ${where(targets)}`, { retriable: true });
        }
        await sleep(10);
      }
    },
    skip(partitions) {
      reader.remove(skips.skip(partitions.filter(isAssigned)));
    },
    skipSince: (written) => skips.skipSince(written),
    resume: (partitions) => skips.resume(partitions),
    async close() {
      closing = true;
      await watch.stop(closeWaitMs);
      // A consumer closed before every partition has answered once can hang in disconnect: wait a little
      // for that, and never longer than a bound for the disconnect itself.
      const deadline = Date.now() + closeWaitMs;
      while (!reader.answered() && Date.now() < deadline) await sleep(10);
      await stopReader(reader);
      await ends.close();
    },
  };
}
