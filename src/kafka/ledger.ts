// The memory that makes an actor idempotent by orderId: the keys of the events it has already committed,
// rebuilt from its own output topics (read_committed) at start and kept current, so it survives restarts.
import type { Config } from '../config.js';
import { decodeEvent } from '../contracts/envelope.js';
import type { EventType } from '../contracts/events.js';
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
 * Follows the actor's output topics from the beginning; the orders of the valid `emits` events there are the
 * orders it has done. Anything else on those topics (a message written by hand, another type) counts for nothing.
 * @example const ledger = await openLedger(config, log, outputTopics, ['webshop.payment.completed']);
 */
export async function openLedger(
  config: Config,
  log: Logger,
  topics: string[],
  emits: readonly EventType[],
): Promise<OrderLedger> {
  const orderIds = new Set<string>();
  const follower = await followTopics(config, log, {
    topics,
    onMessage: (_topic, _partition, message) => {
      // Most messages read back are this process's own outputs, added at their commit: no need to decode them.
      if (message.key !== null && orderIds.has(message.key.toString())) return;
      try {
        orderIds.add(decodeEvent(message.value, emits).data.orderId);
      } catch {
        // Not an output of this actor: the consumer of that topic dead-letters it.
      }
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
