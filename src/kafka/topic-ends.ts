// Where whole topics end, for a follower: each partition's last stable offset, and where its committed messages
// stamped at a time or later begin, read within a bound by an admin client that is replaced when a request goes
// unanswered (renewing-admin.ts).
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createAdmin, type Admin } from './client.js';
import { readableEnds } from './offsets.js';
import { renewingAdmin } from './renewing-admin.js';

export interface TopicEnds {
  /** The admin client now (to list the topics' partitions). */
  admin(): Admin;
  /**
   * Every partition of `topics` (`topic/partition`) with the offset its committed messages end at, read within
   * `timeoutMs`. Past the bound, or when the client could not connect, a new client is made for the next call,
   * and this one rejects (retriable).
   */
  read(timeoutMs: number): Promise<[string, number][]>;
  /**
   * Each partition of `topic` that holds a committed message stamped at `since` (ms) or later, with the offset of
   * the first such message; bounded as `read`.
   */
  firstSince(topic: string, since: number, timeoutMs: number): Promise<Map<number, number>>;
  /**
   * Where to read each partition of the topics from to pass every committed message stamped at `since` (ms) or
   * later: the first such message, or the partition's end when it holds none. Keys are `topic/partition`.
   */
  startsSince(since: number, timeoutMs: number): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/**
 * Connects an admin client for the ends of `topics`; rejects when it cannot connect. `newAdmin` makes each client
 * (a test gives one that never answers).
 * @example const ends = await topicEnds(config, log, topics); const targets = await ends.read(10000);
 */
export async function topicEnds(
  config: Config,
  log: Logger,
  topics: readonly string[],
  newAdmin = (): Admin => createAdmin(config, log, 'follower-admin'),
): Promise<TopicEnds> {
  const admins = renewingAdmin(newAdmin);
  await admins.connect();
  // Each partition of `topic` with its committed end and, when it holds a committed message stamped at `since` or
  // later, the first one's offset.
  const stampedSince = async (admin: Admin, topic: string, since: number) => {
    const ends = new Map((await readableEnds(admin, topic)).map(({ partition, high }) => [partition, Number(high)]));
    // Where no message is stamped that late, the client answers the partition's end (uncommitted ones too).
    return (await admin.fetchTopicOffsetsByTimestamp(topic, since)).map(({ partition, offset }) => {
      const end = ends.get(partition) ?? 0;
      return { partition, end, stamped: Number(offset) < end ? Number(offset) : undefined };
    });
  };
  return {
    admin: () => admins.current(),
    read: (timeoutMs) =>
      admins.call(
        async (admin) => {
          const targets: [string, number][] = [];
          for (const topic of topics) {
            for (const { partition, high } of await readableEnds(admin, topic)) {
              targets.push([`${topic}/${partition}`, Number(high)]);
            }
          }
          return targets;
        },
        timeoutMs,
        "the topics' end offsets",
      ),
    firstSince: (topic, since, timeoutMs) =>
      admins.call(
        async (admin) => {
          const first = new Map<number, number>();
          for (const { partition, stamped } of await stampedSince(admin, topic, since)) {
            if (stamped !== undefined) first.set(partition, stamped);
          }
          return first;
        },
        timeoutMs,
        `the offsets of ${topic} at ${since}`,
      ),
    startsSince: (since, timeoutMs) =>
      admins.call(
        async (admin) => {
          const starts = new Map<string, number>();
          for (const topic of topics) {
            for (const { partition, stamped, end } of await stampedSince(admin, topic, since)) {
              starts.set(`${topic}/${partition}`, stamped ?? end);
            }
          }
          return starts;
        },
        timeoutMs,
        `the offsets of the topics at ${since}`,
      ),
    close: () => admins.disconnect(),
  };
}
