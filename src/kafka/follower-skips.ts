// The partitions a follower does not read (follower.ts, `skip`): an actor's own outputs, which it knows another way.
// Each resumes where the follower stood when it was skipped or, when told since when its writer's last committed
// transaction wrote there, at the first committed message stamped then or later, looked up as it resumes.
import { keyOf, offsetBeginning, type FollowedPartition, type Position } from './follower-reader.js';
import type { TopicEnds } from './topic-ends.js';

// How far the wall clock may step back between a transaction's start and its messages' stamps, and how long a
// resume point is looked up before the partition is read from where it was skipped.
const clockStepMs = 1000;
const lookUpWaitMs = 10000;

export interface FollowerSkips {
  /** Skipped now: not read, and not waited for. */
  skipped(key: string): boolean;
  /** Skipped, or resuming while its resume point is looked up: not the reader's. */
  unread(key: string): boolean;
  /** Skips these (assigned) partitions; returns those the reader reads now and must stop reading. */
  skip(partitions: FollowedPartition[]): FollowedPartition[];
  skipSince(written: FollowedPartition & { since: number }): void;
  resume(partitions: FollowedPartition[]): void;
}

export interface SkipsDeps {
  /** Where the follower stands in a partition: the next offset to pass on. */
  reached(key: string): number | undefined;
  /** Reads these partitions from these offsets, knowing what lies before. */
  start(positions: Position[]): void;
  firstSince: TopicEnds['firstSince'];
  closing(): boolean;
  /** A resume point could not be looked up. */
  notFound(error: unknown): void;
}

type Skipped = Position & { since?: number };

/** @example const skips = followerSkips({ reached, start, firstSince: ends.firstSince, closing, notFound }); */
export function followerSkips(deps: SkipsDeps): FollowerSkips {
  const skipped = new Map<string, Skipped>();
  const resuming = new Map<string, Skipped>();
  const start = (positions: Position[]): void => {
    if (positions.length > 0) deps.start(positions);
  };

  // Each partition from the first message stamped since (the earliest of its topic, less a clock step), or from
  // where it was skipped when that is later or none is found.
  const lookUp = async (entries: Skipped[]): Promise<void> => {
    const found = new Map<string, number>();
    try {
      for (const topic of new Set(entries.map((entry) => entry.topic))) {
        const since = Math.min(...entries.flatMap((entry) => (entry.topic === topic ? [entry.since!] : [])));
        const first = await deps.firstSince(topic, since - clockStepMs, lookUpWaitMs);
        for (const [partition, offset] of first) found.set(keyOf({ topic, partition }), offset);
      }
    } catch (error) {
      if (!deps.closing()) deps.notFound(error);
    }
    // Skipped again, or the follower closed, meanwhile: left as it is.
    const now = entries.filter((entry) => resuming.get(keyOf(entry)) === entry && !deps.closing());
    for (const entry of now) resuming.delete(keyOf(entry));
    start(
      now.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        offset: Math.max(offset, found.get(keyOf({ topic, partition })) ?? offset),
      })),
    );
  };

  return {
    skipped: (key) => skipped.has(key),
    unread: (key) => skipped.has(key) || resuming.has(key),
    skip(partitions) {
      const skipping = partitions.filter((partition) => !skipped.has(keyOf(partition)));
      for (const { topic, partition } of skipping) {
        const key = keyOf({ topic, partition });
        const since = resuming.get(key)?.since;
        skipped.set(key, { topic, partition, offset: deps.reached(key) ?? offsetBeginning, since });
      }
      // One still resuming was not given to the reader yet.
      return skipping.filter((partition) => !resuming.delete(keyOf(partition)));
    },
    skipSince({ topic, partition, since }) {
      const entry = skipped.get(keyOf({ topic, partition }));
      if (entry !== undefined && since > (entry.since ?? -Infinity)) entry.since = since;
    },
    resume(partitions) {
      const entries = partitions.flatMap((partition) => skipped.get(keyOf(partition)) ?? []);
      for (const entry of entries) skipped.delete(keyOf(entry));
      start(
        entries.flatMap(({ topic, partition, offset, since }) =>
          since === undefined ? [{ topic, partition, offset }] : [],
        ),
      );
      const later = entries.filter((entry) => entry.since !== undefined);
      for (const entry of later) resuming.set(keyOf(entry), entry);
      if (later.length > 0) void lookUp(later);
    },
  };
}
