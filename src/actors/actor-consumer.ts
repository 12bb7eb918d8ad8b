// An actor's consumer and the partitions it holds, kept from the rebalance callbacks; replaced by a new one
// when the watchdog finds it stalled (a consumer cannot reconnect after disconnect(): only a new one recovers).
import { disconnectWithin, defaultMaxPollIntervalMs } from '../kafka/client.js';
import type { GroupMember } from '../kafka/group-consumer.js';
import type { GroupChanges } from '../kafka/group-rebalance.js';
import type { Logger } from '../logger.js';

export interface ActorConsumerOptions {
  /** Joins the actor's group with these rebalance callbacks: a member that reads and hands on batches. */
  join(changes: GroupChanges): Promise<GroupMember>;
  /** The input topics; several are co-partitioned, so a partition number is held of all of them or none. */
  topics: readonly string[];
  /** Called after partitions were added, with their numbers. */
  onAssign(partitions: number[]): void;
  /** Awaited before partitions go (their numbers): the moment to finish (and commit) the work in flight. */
  onRevoke(partitions: number[]): Promise<void>;
  log: Logger;
  /** How long a replaced consumer's disconnect is waited for (default 5 s). */
  abandonAfterMs?: number;
}

export interface ActorConsumer {
  /** The group member now: its group's offsets are committed in the actor's transactions. */
  current(): GroupMember;
  /** The input partitions this instance holds now (of every input topic). */
  holding(): ReadonlySet<number>;
  /** True from the decision to replace the consumer until its successor runs. */
  replacing(): boolean;
  /** Connects, subscribes and runs the first consumer. */
  start(): Promise<void>;
  /** Abandons the consumer (bounded wait) and starts a new one, which is given its partitions afresh. */
  replace(): Promise<void>;
  /** Leaves the group; waits for the batches in flight. */
  disconnect(): Promise<void>;
}

// A stalled consumer's disconnect can wait forever on librdkafka. If it had not left its group, it keeps its share
// of the partitions until librdkafka sees no poll for max.poll.interval.ms (measured with KIP-848 groups: a member
// that stopped polling gave up half of six partitions to a new member at once, the other half only then).
const abandonConsumerAfterMs = 5000;

const numbers = (partitions: Iterable<{ partition: number } | number>): number[] =>
  [...new Set([...partitions].map((entry) => (typeof entry === 'number' ? entry : entry.partition)))].sort(
    (a, b) => a - b,
  );

/**
 * The consumer part of an actor; nothing runs until `start()`.
 * @example const consumer = actorConsumer({ join, topics, onAssign, onRevoke, log });
 */
export function actorConsumer(options: ActorConsumerOptions): ActorConsumer {
  const { log, topics } = options;
  // Kept from the rebalance callbacks: the client's assignment() is a synchronous call that waits on librdkafka's
  // main thread, and the watchdog and /readyz must not block the event loop while the broker is away.
  const holding = new Set<number>();
  let replacing = false;

  const run = (): Promise<GroupMember> =>
    options.join({
      onAssign: (partitions) => {
        for (const partition of numbers(partitions)) holding.add(partition);
        options.onAssign(numbers(partitions));
        log.info('partitions assigned', { assigned: numbers(partitions), holding: numbers(holding) });
      },
      // Batches of revoked partitions finish and commit (in their transaction) before the partitions go.
      onRevoke: async (partitions) => {
        for (const partition of numbers(partitions)) holding.delete(partition);
        log.info('partitions revoked', { revoked: numbers(partitions), holding: numbers(holding) });
        await options.onRevoke(numbers(partitions));
      },
    });

  let consumer: GroupMember | undefined;
  const current = (): GroupMember => {
    if (consumer === undefined) throw new Error('the actor consumer has not started');
    return consumer;
  };
  return {
    current,
    holding: () => holding,
    replacing: () => replacing,
    async start() {
      consumer = await run();
    },
    async replace() {
      replacing = true;
      const waitedMs = options.abandonAfterMs ?? abandonConsumerAfterMs;
      if (!(await disconnectWithin(current(), waitedMs))) {
        log.warn('stalled consumer did not leave, abandoned', {
          topics,
          waitedMs,
          maxPollIntervalMs: defaultMaxPollIntervalMs,
        });
      }
      holding.clear();
      consumer = await run();
      replacing = false;
      log.info('consumer replaced', { topics });
    },
    disconnect: () => current().disconnect(),
  };
}
