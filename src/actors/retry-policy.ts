// The retry policy, the one place that decides what follows a failure: a handler's retriable failure is tried
// again on its message with backoff up to RETRY_ATTEMPTS, a failed transaction on its partition without end.
import type { Config } from '../config.js';

/**
 * What becomes of a message whose handler threw. `left`: the actor is stopping, so the message stays
 * uncommitted and the partition's next owner tries it again, with a full set of attempts of its own.
 */
export type HandlerVerdict =
  | { kind: 'retry'; attempt: number; delayMs: number }
  | { kind: 'dead-letter'; attempts: number }
  | { kind: 'left'; attempt: number };

export interface RetryPolicy {
  /** After the handler of message `key` (`topic/partition/offset`) threw, `retriable` or not. */
  afterHandlerFailure(key: string, retriable: boolean, stopping: boolean): HandlerVerdict;
  /** The message's handler succeeded: its count of attempts is forgotten. */
  handled(key: string): void;
  /** After a batch of `partition` was not committed: the delay before it is tried again. */
  afterBatchFailure(partition: number): number;
  /** A batch of `partition` was committed: its count of failed batches starts again. */
  batchCommitted(partition: number): void;
}

type RetrySettings = Pick<Config, 'retryAttempts' | 'retryBaseMs' | 'retryMaxMs'>;

/** The delay before retry number `attempt` (1-based): base x 2^(attempt-1), capped. */
export function retryDelay(config: Pick<Config, 'retryBaseMs' | 'retryMaxMs'>, attempt: number): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The retry policy of one actor instance, from RETRY_ATTEMPTS, RETRY_BASE_MS and RETRY_MAX_MS.
 * @example const verdict = createRetryPolicy(config).afterHandlerFailure('3/42', true, false); // retry, attempt 1
 */
export function createRetryPolicy(config: RetrySettings): RetryPolicy {
  // Failed attempts so far of messages waiting for a retry, by `topic/partition/offset`.
  const attempts = new Map<string, number>();
  // Failed batches in a row, by partition: a transaction fails for the broker's reasons, never the message's.
  const batchFailures = new Map<number, number>();
  return {
    afterHandlerFailure(key, retriable, stopping) {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.delete(key);
      if (!retriable) return { kind: 'dead-letter', attempts: attempt };
      // A failure during a stop may come from the stop itself: not a reason to give the message up.
      if (stopping) return { kind: 'left', attempt };
      if (attempt >= config.retryAttempts) return { kind: 'dead-letter', attempts: attempt };
      attempts.set(key, attempt);
      return { kind: 'retry', attempt, delayMs: retryDelay(config, attempt) };
    },
    handled: (key) => attempts.delete(key),
    afterBatchFailure(partition) {
      const failed = (batchFailures.get(partition) ?? 0) + 1;
      batchFailures.set(partition, failed);
      return retryDelay(config, failed);
    },
    batchCommitted: (partition) => batchFailures.delete(partition),
  };
}
