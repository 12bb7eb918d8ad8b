// The output partitions an actor instance alone writes (ledger.ts, `own`): its ledger's follower skips them while the
// ledger is current, and reads them again, from where this instance's last committed transaction began writing
// there (found by the time it began), when they go to another instance or the ledger turns stale.
import type { FollowedPartition, TopicFollower } from '../kafka/follower.js';
import type { WrittenSince } from '../kafka/produce.js';

export interface OwnedOutputs {
  /** The partition numbers owned now, of every output topic. */
  own(partitions: ReadonlySet<number>): void;
  /** Where and since when a committed transaction wrote: a skipped partition resumes there at the earliest. */
  wrote(written: readonly WrittenSince[]): void;
  /** Reads every skipped partition again. */
  readAll(): void;
  /** Skips the owned partitions not skipped yet. */
  skipOwned(): void;
}

/** @example const owned = ownedOutputs(follower, ['shop.payment_completed', 'shop.payment_failed']); */
export function ownedOutputs(
  follower: Pick<TopicFollower, 'skip' | 'skipSince' | 'resume'>,
  topics: readonly string[],
): OwnedOutputs {
  let owned: ReadonlySet<number> = new Set<number>();
  const skipping = new Set<number>();
  const followed = (partitions: number[]): FollowedPartition[] =>
    partitions.flatMap((partition) => topics.map((name) => ({ topic: name, partition })));
  const resume = (partitions: number[]): void => {
    if (partitions.length === 0) return;
    for (const partition of partitions) skipping.delete(partition);
    follower.resume(followed(partitions));
  };
  return {
    own(partitions) {
      owned = new Set(partitions);
      resume([...skipping].filter((partition) => !owned.has(partition)));
    },
    wrote(written) {
      for (const partition of written) if (skipping.has(partition.partition)) follower.skipSince(partition);
    },
    readAll: () => resume([...skipping]),
    skipOwned() {
      const skipped = [...owned].filter((partition) => !skipping.has(partition));
      if (skipped.length === 0) return;
      for (const partition of skipped) skipping.add(partition);
      follower.skip(followed(skipped));
    },
  };
}
