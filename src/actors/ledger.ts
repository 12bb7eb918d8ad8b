// The memory that makes an actor idempotent: the orders it has already committed an output for (and, for a
// fold, each order's latest output), rebuilt from its own output topics (read_committed) at start and kept current,
// plus what the batches whose transaction is still under way have done. What this instance alone writes it records
// at commit rather than reading it back (owned-outputs.ts).
import type { EventType } from '../contracts/events.js';
import { decodeEvent } from '../contracts/envelope.js';
import type { KafkaMessage } from '../kafka/client.js';
import type { TopicFollower } from '../kafka/follower.js';
import type { WrittenSince } from '../kafka/produce.js';
import { orderMemory } from './order-memory.js';
import { ownedOutputs } from './owned-outputs.js';
import type { Outgoing } from './types.js';

type Output = Outgoing['data'];

export interface OrderLedger {
  /** True when an output for this order is committed (or was added by this process). */
  has(orderId: string): boolean;
  /** For a fold: the order's latest output, committed or added by this process. */
  latest(orderId: string): Output | undefined;
  /** Records orders whose outputs this process just committed. */
  add(orderIds: Iterable<string>): void;
  /** For a fold: records the outputs this process just committed, by order. */
  keep(outputs: ReadonlyMap<string, Output>): void;
  /**
   * Records what a batch did while its transaction is under way: `has` and `latest` see it, so the next batch
   * does not do an order twice. `settle` moves it to the committed part (`committed` true) or drops it.
   */
  hold(orderIds: Iterable<string>, outputs: ReadonlyMap<string, Output>): { settle(committed: boolean): void };
  /**
   * A transaction failed, and every batch waiting behind it with it: drops everything held, and the ledger is stale
   * (the transaction may have committed after all, its answer lost).
   */
  failed(): void;
  /** Outputs may have been committed that the ledger has not read (new partitions, a commit whose answer was lost). */
  markStale(): void;
  /**
   * The output partitions this process alone writes now: those of the input partitions it holds, its outputs going
   * to their input's partition. Once current, the ledger stops reading them back (they hold only what `add`, `keep`
   * and `hold` told it) and reads them again from what `wrote` says when they go, or when it is marked stale.
   */
  own(partitions: ReadonlySet<number>): void;
  /** Where and since when a committed transaction of this process wrote: what was written before is known. */
  wrote(written: readonly WrittenSince[]): void;
  /**
   * When stale: resolves once every output committed before the call has been read, and the ledger is current.
   * Rejects (retriable) after `timeoutMs`, and the ledger stays stale. Resolves at once when current.
   */
  current(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts reading the actor's output topics from the beginning, passing each message to `onMessage`. */
export type FollowOutputs = (onMessage: (message: KafkaMessage) => void) => Promise<TopicFollower>;

/** Given for a fold: the ledger then keeps each order's latest output, `supersedes` saying which is later. */
export interface KeepOutputs {
  supersedes(next: Output, current: Output): boolean;
}

export interface LedgerOptions {
  /** For a fold. */
  outputs?: KeepOutputs;
  /** The topics `follow` reads: those whose partitions `own` names. */
  topics?: readonly string[];
  /**
   * Each order is remembered for at least this long (ms) after its output, at most twice as long (order-memory.ts);
   * `follow` should then read from `rememberedSince`. 0: every order for good (default).
   */
  windowMs?: number;
  /** The clock (ms) the window runs on; default Date.now. */
  now?: () => number;
}

/**
 * A ledger fed by `follow`; the orders of the valid `emits` events there are the orders the actor has done.
 * Anything else on those topics (a message written by hand, another type) counts for nothing. Starts stale.
 * @example const ledger = await openLedger(['webshop.payment.completed'], (onMessage) => followTopics(...));
 */
export async function openLedger(
  emits: readonly EventType[],
  follow: FollowOutputs,
  { outputs, topics = [], windowMs = 0, now = Date.now }: LedgerOptions = {},
): Promise<OrderLedger> {
  const orders = orderMemory<Output | undefined>(windowMs, now());
  const record = (orderId: string, output: Output, time: number): void => {
    if (outputs === undefined) return void orders.set(orderId, undefined, time);
    const current = orders.get(orderId);
    if (current === undefined || outputs.supersedes(output, current)) orders.set(orderId, output, time);
  };
  let stale = true;
  // Held by batches whose transaction is under way: each order's count of holding batches and latest output.
  let held = new Map<string, { count: number; output?: Output }>();
  // The read under way: batches of other partitions that arrive meanwhile wait for it too.
  let reading: Promise<void> | undefined;
  const follower = await follow((message) => {
    // Most messages read back are this process's own outputs, added at their commit: no need to decode them.
    if (outputs === undefined && message.key !== null && orders.has(message.key.toString())) return;
    try {
      const { data } = decodeEvent(message.value, emits);
      record(data.orderId, data, Number(message.timestamp));
    } catch {
      // Not an output of this actor: the consumer of that topic dead-letters it.
    }
  });
  const owned = ownedOutputs(follower, topics);
  const add = (ids: Iterable<string>): void => {
    const time = now();
    for (const id of ids) orders.set(id, orders.get(id), time);
  };
  const keep = (kept: ReadonlyMap<string, Output>): void => {
    const time = now();
    for (const [orderId, output] of kept) record(orderId, output, time);
  };
  return {
    has: (orderId) => orders.has(orderId) || held.has(orderId),
    latest: (orderId) => held.get(orderId)?.output ?? orders.get(orderId),
    add,
    keep,
    hold(ids, outputs) {
      const holding = held;
      const mine = new Set([...ids, ...outputs.keys()]);
      for (const id of mine) {
        const entry = holding.get(id) ?? { count: 0 };
        holding.set(id, { count: entry.count + 1, output: outputs.get(id) ?? entry.output });
      }
      return {
        settle(committed) {
          if (committed) {
            add(ids);
            keep(outputs);
          }
          // Dropped meanwhile (dropHeld): nothing of this batch is held any more.
          if (holding !== held) return;
          for (const id of mine) {
            const entry = holding.get(id);
            if (entry === undefined) continue;
            if (entry.count <= 1) holding.delete(id);
            else holding.set(id, { ...entry, count: entry.count - 1 });
          }
        },
      };
    },
    failed: () => {
      held = new Map();
      stale = true;
    },
    markStale: () => {
      stale = true;
    },
    own: (partitions) => owned.own(partitions),
    wrote(written) {
      // Stale: a transaction whose end is not known may lie before; the next read starts before it.
      if (!stale) owned.wrote(written);
    },
    current(timeoutMs) {
      // Before each batch: the orders past the window are forgotten before the batch asks.
      orders.expire(now());
      if (reading) return reading;
      if (!stale) return Promise.resolve();
      stale = false;
      owned.readAll();
      reading = follower
        .catchUp(timeoutMs)
        .then(() => {
          if (!stale) owned.skipOwned();
        })
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
