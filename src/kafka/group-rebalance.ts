// A group member's rebalances on the client's low-level API: added partitions are taken at once; before partitions
// go, the member's onRevoke is awaited (its batches in flight finish and commit), and only then are they given up.
// While the member leaves, they are given up at once: librdkafka's close waits for it.
import { KafkaJS, type KafkaConsumer, type LibrdKafkaError, type TopicPartition } from '@confluentinc/kafka-javascript';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

/** What the member's owner is told of its partitions. */
export interface GroupChanges {
  /** Called after partitions were added to this member. */
  onAssign(partitions: TopicPartition[]): void;
  /** Awaited before partitions are taken away: the moment to finish and commit their work. */
  onRevoke(partitions: TopicPartition[]): Promise<void>;
}

export interface RebalanceHooks {
  /** Called first when partitions are added or go: what the member knew of them is out of date. */
  changed(partitions: TopicPartition[]): void;
  /** True while the member leaves its group. */
  leaving(): boolean;
  log: Logger;
}

// The client's KafkaConsumer has these (lib/kafka-consumer.js), but its type declarations leave them out.
type Incremental = {
  incrementalAssign(partitions: TopicPartition[]): void;
  incrementalUnassign(partitions: TopicPartition[]): void;
  rebalanceProtocol(): string;
};

export interface RebalanceListener {
  /** The consumer's `rebalance_cb`. */
  callback(error: LibrdKafkaError, assignment: TopicPartition[]): void;
  /** True while the member holds this `topic/partition` and it is not being revoked. */
  holds(key: string): boolean;
}

/**
 * Applies `consumer`'s rebalances, telling `changes` and `hooks`; one at a time, in the order librdkafka gives them.
 * @example const rebalance = rebalanceListener(() => consumer, { onAssign, onRevoke }, { changed, leaving, log });
 */
export function rebalanceListener(
  consumer: () => KafkaConsumer,
  changes: GroupChanges,
  hooks: RebalanceHooks,
): RebalanceListener {
  const { log } = hooks;
  const holding = new Set<string>();
  const keys = (partitions: TopicPartition[]): string[] =>
    partitions.map(({ topic, partition }) => `${topic}/${partition}`);
  const client = (): KafkaConsumer & Incremental => consumer() as KafkaConsumer & Incremental;
  const cooperative = (): boolean => client().rebalanceProtocol() === 'COOPERATIVE';
  const apply = (what: string, call: () => void): void => {
    try {
      call();
    } catch (error) {
      log.warn('rebalance not applied', { what, error: describeError(error) });
    }
  };

  const assign = (partitions: TopicPartition[]): void => {
    hooks.changed(partitions);
    for (const key of keys(partitions)) holding.add(key);
    apply('assign', () => (cooperative() ? client().incrementalAssign(partitions) : client().assign(partitions)));
    // A partition paused (a retry's back-off) before it was revoked is read from its committed offset now.
    if (partitions.length > 0) apply('resume', () => client().resume(partitions));
    changes.onAssign(partitions);
  };
  const revoke = async (partitions: TopicPartition[]): Promise<void> => {
    for (const key of keys(partitions)) holding.delete(key);
    hooks.changed(partitions);
    const finished = changes.onRevoke(partitions).catch((error: unknown) => {
      log.warn('revoke not finished', { error: describeError(error) });
    });
    if (!hooks.leaving()) await finished;
    apply('revoke', () => (cooperative() ? client().incrementalUnassign(partitions) : client().unassign()));
  };

  let changing: Promise<void> = Promise.resolve();
  return {
    callback(error, assignment) {
      if (error.code === KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS) {
        changing = changing.then(() => assign(assignment));
      } else if (error.code === KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS) {
        // Leaving: librdkafka's close waits for the partitions to be given up, so nothing queues before it.
        const revoking = hooks.leaving() ? revoke(assignment) : changing.then(() => revoke(assignment));
        changing = revoking;
      } else {
        log.warn('rebalance failed', { error: error.message });
      }
    },
    holds: (key) => holding.has(key),
  };
}
