// The consumer's eachBatch: brings the ledger up to date, runs processBatch, and after it pauses the partition
// until a retry is due. Keeps the batches in flight, so a revoke or a stop can wait for them.
import { describeError } from '../errors.js';
import type { EachBatchPayload } from '../kafka/client.js';
import { isFenced } from '../kafka/producer-failure.js';
import type { Logger } from '../logger.js';
import type { BatchOutcome, BatchPayload } from './batch.js';
import type { OrderLedger } from './ledger.js';
import type { RetryPolicy } from './retry-policy.js';

export interface BatchRunnerOptions {
  /** processBatch with the actor's dependencies. */
  process(payload: BatchPayload): Promise<BatchOutcome>;
  ledger: Pick<OrderLedger, 'current' | 'markStale'>;
  retries: Pick<RetryPolicy, 'afterBatchFailure' | 'batchCommitted'>;
  isStopping(): boolean;
  /** Told each time a batch ended without an error. */
  progressed(): void;
  /** Told when another live instance fenced the producer: this instance must end. */
  onFatal(error: unknown): void;
  topic: string;
  log: Logger;
}

export interface BatchRunner {
  eachBatch(payload: EachBatchPayload): Promise<void>;
  /** True while no batch is in flight and no partition waits for a retry. */
  idle(): boolean;
  inFlight(): number;
  /** Resolves once the batches in flight now have ended, however they ended. */
  settled(): Promise<void>;
  /** Cancels the retries not due yet: their partitions stay paused and their messages uncommitted. */
  cancelRetries(): number;
}

const ledgerCatchUpMs = 15000;

/** @example const runner = batchRunner({ process: (payload) => processBatch(deps, payload), ... }); */
export function batchRunner(options: BatchRunnerOptions): BatchRunner {
  const { log, topic, ledger, retries } = options;
  const inFlight = new Set<Promise<unknown>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  // Batches of one partition number of different inputs run one after the other: several inputs are
  // co-partitioned by orderId, so two batches never fold the same order at once. One input: never waits.
  const turns = new Map<number, Promise<unknown>>();
  const inTurn = <T>(partition: number, run: () => Promise<T>): Promise<T> => {
    const next = (turns.get(partition) ?? Promise.resolve()).then(run, run);
    const settled = next.catch(() => undefined);
    turns.set(partition, settled);
    void settled.then(() => {
      if (turns.get(partition) === settled) turns.delete(partition);
    });
    return next;
  };

  const pauseFor = (payload: EachBatchPayload, delayMs: number): void => {
    const resume = payload.pause();
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      resume();
    }, delayMs);
    retryTimers.add(timer);
  };

  // A stopping actor commits what it finished and leaves the rest uncommitted: the partition's next owner (a
  // restart, another instance) reads it again, so nothing is dead-lettered for a failure a stop may have caused.
  const leave = (partition: number, offset?: string): void => {
    log.info('work left for the next owner', { topic, partition, offset, reason: 'actor stopping' });
  };

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { partition } = payload.batch;
    const work = inTurn(partition, () => ledger.current(ledgerCatchUpMs).then(() => options.process(payload)));
    inFlight.add(work);
    try {
      const outcome = await work;
      retries.batchCommitted(partition);
      options.progressed();
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'retry' && !options.isStopping()) return pauseFor(payload, outcome.delayMs);
      leave(partition, outcome.offset);
    } catch (error) {
      if (isFenced(error)) return options.onFatal(error);
      // A commit whose answer was lost may have gone through: read the outputs committed so far before the
      // batch is tried again, so its orders are not done twice.
      ledger.markStale();
      const delayMs = retries.afterBatchFailure(partition);
      log.warn('batch not committed, retrying', { topic, partition, delayMs, error: describeError(error) });
      // Nothing was resolved, so the client seeks back to the batch's first message.
      if (options.isStopping()) leave(partition);
      else pauseFor(payload, delayMs);
    } finally {
      inFlight.delete(work);
    }
  };

  return {
    eachBatch,
    idle: () => inFlight.size === 0 && retryTimers.size === 0,
    inFlight: () => inFlight.size,
    settled: async () => {
      await Promise.allSettled(inFlight);
    },
    cancelRetries() {
      for (const timer of retryTimers) clearTimeout(timer);
      const cancelled = retryTimers.size;
      retryTimers.clear();
      return cancelled;
    },
  };
}
