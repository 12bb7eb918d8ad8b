// The memory that makes an actor idempotent by orderId: the keys of the events it has already committed,
// rebuilt from its own output topics (read_committed) at start and kept current, so it survives restarts.
import type { EventType } from '../contracts/events.js';
import { decodeEvent } from '../contracts/envelope.js';
import type { KafkaMessage } from '../kafka/client.js';
import type { TopicFollower } from '../kafka/follower.js';

export interface OrderLedger {
  /** True when an output for this order is committed (or was added by this process). */
  has(orderId: string): boolean;
  /** Records orders whose outputs this process just committed. */
  add(orderIds: Iterable<string>): void;
  /** Outputs may have been committed that the ledger has not read (new partitions, a commit whose answer was lost). */
  markStale(): void;
  /**
   * When stale: resolves once every output committed before the call has been read, and the ledger is current.
   * Rejects (retriable) after `timeoutMs`, and the ledger stays stale. Resolves at once when current.
   */
  current(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts reading the actor's output topics from the beginning, passing each message to `onMessage`. */
export type FollowOutputs = (onMessage: (message: KafkaMessage) => void) => Promise<TopicFollower>;

/**
 * A ledger fed by `follow`; the orders of the valid `emits` events there are the orders the actor has done.
 * Anything else on those topics (a message written by hand, another type) counts for nothing. Starts stale.
 * @example const ledger = await openLedger(['webshop.payment.completed'], (onMessage) => followTopics(...));
 */
export async function openLedger(emits: readonly EventType[], follow: FollowOutputs): Promise<OrderLedger> {
  const orderIds = new Set<string>();
  let stale = true;
  // The read under way: batches of other partitions that arrive meanwhile wait for it too.
  let reading: Promise<void> | undefined;
  const follower = await follow((message) => {
    // Most messages read back are this process's own outputs, added at their commit: no need to decode them.
    if (message.key !== null && orderIds.has(message.key.toString())) return;
    try {
      orderIds.add(decodeEvent(message.value, emits).data.orderId);
    } catch {
      // Not an output of this actor: the consumer of that topic dead-letters it.
    }
  });
  return {
    has: (orderId) => orderIds.has(orderId),
    add: (ids) => {
      for (const id of ids) orderIds.add(id);
    },
    markStale: () => {
      stale = true;
    },
    current(timeoutMs) {
      if (reading) return reading;
      if (!stale) return Promise.resolve();
      stale = false;
      reading = follower
        .catchUp(timeoutMs)
        .catch((error: unknown) => {
          stale = true;
          throw error;
        })
        .finally(() => {
          reading = undefined;
        });
      return reading;
    },
    close: () => follower.close(),
  };
}
