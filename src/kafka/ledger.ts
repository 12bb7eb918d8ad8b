// The memory that makes an actor idempotent by orderId: the keys of the events it has already committed,
// rebuilt from its own output topics (read_committed) at start and kept current, so it survives restarts.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { followTopics, type TopicFollower } from './follower.js';

export interface OrderLedger {
  /** True when an output for this order is committed (or was added by this process). */
  has(orderId: string): boolean;
  /** Records orders whose outputs this process just committed. */
  add(orderIds: Iterable<string>): void;
  size(): number;
  /** Resolves once every output committed before the call has been read; rejects (retriable) after `timeoutMs`. */
  catchUp: TopicFollower['catchUp'];
  close(): Promise<void>;
}

/**
 * Follows the actor's output topics from the beginning; their keys are the orders it has done.
 * @example const ledger = await openLedger(config, log, ['payment_completed', 'payment_failed']);
 */
export async function openLedger(config: Config, log: Logger, topics: string[]): Promise<OrderLedger> {
  const orderIds = new Set<string>();
  const follower = await followTopics(config, log, {
    topics,
    onMessage: (_topic, _partition, message) => {
      if (message.key !== null) orderIds.add(message.key.toString());
    },
  });
  return {
    has: (orderId) => orderIds.has(orderId),
    add: (ids) => {
      for (const id of ids) orderIds.add(id);
    },
    size: () => orderIds.size,
    catchUp: (timeoutMs) => follower.catchUp(timeoutMs),
    close: () => follower.close(),
  };
}
