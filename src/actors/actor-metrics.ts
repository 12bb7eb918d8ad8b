// What the runtime tells the metrics about an actor's work: the outcome of each committed event (from the type of
// the event it produced, never from the actor), retries as the policy decides them, and each transaction's time.
import type { EventType } from '../contracts/events.js';
import type { ActorMetrics } from '../metrics.js';
import type { RetryPolicy } from './retry-policy.js';

/** What became of one input event, told once its transaction committed. */
export interface EventOutcome {
  /** `completed`, `failed`, `shipped`, `notified`, `handled` (no output), `duplicate_skipped`, `dead_lettered`. */
  outcome: string;
  /** The dead letter's error code. */
  code?: string;
  /** When the input event's order was created (`orderTimeOf` the event), for events the handler processed. */
  orderTime?: string;
}

// Where the last word of an event type does not say the outcome by itself.
const outcomeWords: Partial<Record<EventType, string>> = { 'webshop.notification.sent': 'notified' };

/**
 * The outcome label of an event the handler processed: its first output's type, in one word.
 * @example outcomeOf([{ type: 'webshop.order.shipped' }]) // 'shipped'
 */
export function outcomeOf(outputs: readonly { type: EventType }[]): string {
  const type = outputs[0]?.type;
  if (type === undefined) return 'handled';
  return outcomeWords[type] ?? type.slice(type.lastIndexOf('.') + 1);
}

/** Records the outcomes of a committed batch; ages are measured from each event's order's creation to `now`. */
export function recordOutcomes(
  metrics: Pick<ActorMetrics, 'processed' | 'deadLettered' | 'eventAge'>,
  outcomes: readonly EventOutcome[],
  now: Date,
): void {
  // Counted by outcome first: one counter update per outcome of the batch rather than per event.
  const counts = new Map<string, number>();
  for (const { outcome, code, orderTime } of outcomes) {
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    if (code !== undefined) metrics.deadLettered(code);
    const created = orderTime === undefined ? NaN : Date.parse(orderTime);
    if (!Number.isNaN(created)) metrics.eventAge((now.getTime() - created) / 1000);
  }
  for (const [outcome, count] of counts) metrics.processed(outcome, count);
}

/** The retry policy, counting each retry it decides: a handler's and a failed transaction's. */
export function countingRetries(policy: RetryPolicy, metrics: Pick<ActorMetrics, 'retried'>): RetryPolicy {
  return {
    ...policy,
    afterHandlerFailure(key, retriable, stopping) {
      const verdict = policy.afterHandlerFailure(key, retriable, stopping);
      if (verdict.kind === 'retry') metrics.retried('handler');
      return verdict;
    },
    afterBatchFailure(partition) {
      metrics.retried('transaction');
      return policy.afterBatchFailure(partition);
    },
  };
}

/**
 * `commit`, timed into the transaction commit histogram by result.
 * @example createGroupCommit(timedCommit((messages, consumed) => producer.commit(consumer, messages, consumed), metrics))
 */
export function timedCommit<A extends unknown[]>(
  commit: (...args: A) => Promise<void>,
  metrics: Pick<ActorMetrics, 'committed'>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await commit(...args);
      metrics.committed('committed', seconds());
    } catch (error) {
      metrics.committed('failed', seconds());
      throw error;
    }
  };
}
