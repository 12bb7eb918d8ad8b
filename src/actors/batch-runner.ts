// The consumer's eachBatch: brings the ledger up to date, runs processBatch, and after it pauses the partition
// until a retry is due. A batch's transaction is followed after eachBatch returns: when it fails, the partition is
// read again from the first message not committed. Keeps the batches and transactions in flight, so a revoke or a
// stop can wait for them.
import { describeError } from '../errors.js';
import type { GroupBatchPayload } from '../kafka/group-consumer.js';
import { isFenced } from '../kafka/producer-failure.js';
import type { Logger } from '../logger.js';
import type { BatchPayload, HandledBatch } from './batch.js';
import { OutOfTurn, RolledBack } from './group-commit.js';
import type { OrderLedger } from './ledger.js';
import type { RetryPolicy } from './retry-policy.js';

export interface BatchRunnerOptions {
  /** processBatch with the actor's dependencies. */
  process(payload: BatchPayload): HandledBatch;
  /** Moves the consumer's position in a partition: where it reads next. */
  seek(topic: string, partition: number, offset: string): void;
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
  eachBatch(payload: GroupBatchPayload): Promise<void>;
  /** True while no batch is in flight and no partition waits for a retry. */
  idle(): boolean;
  inFlight(): number;
  /** Resolves once the batches in flight now have ended, however they ended. */
  settled(): Promise<void>;
  /** Cancels the retries not due yet: their partitions stay paused and their messages uncommitted. */
  cancelRetries(): number;
}

const ledgerCatchUpMs = 15000;

/** What a failed commit needs of its batch: not the messages. */
interface CommittingBatch {
  /** `topic/partition`, as the group commit names the partitions it rolled back. */
  key: string;
  input: string;
  partition: number;
  firstOffset: string | undefined;
  pause: GroupBatchPayload['pause'];
}

/** @example const runner = batchRunner({ process: (payload) => processBatch(deps, payload), ... }); */
export function batchRunner(options: BatchRunnerOptions): BatchRunner {
  const { log, topic, ledger, retries } = options;
  // The batches being handled and the transactions under way.
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

  const pauseFor = (pause: GroupBatchPayload['pause'], delayMs: number): void => {
    const resume = pause();
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

  const seek = (input: string, partition: number, offset: string): void => {
    try {
      options.seek(input, partition, offset);
    } catch (error) {
      // Not assigned any more (a revoke, a replaced consumer): its next owner starts at the committed offset.
      log.warn('partition not read again', { topic: input, partition, offset, error: describeError(error) });
    }
  };

  // A transaction that did not commit: its partitions are read again from their first message not committed,
  // once the ledger has read what a commit whose answer was lost may have written, after a back-off.
  const notCommitted = (batch: CommittingBatch, error: unknown): void => {
    const { input, partition } = batch;
    if (error instanceof OutOfTurn) return seek(input, partition, error.from);
    const cause = error instanceof RolledBack ? error.cause : error;
    if (isFenced(cause)) return options.onFatal(cause);
    const from = error instanceof RolledBack ? error.from.get(batch.key) : undefined;
    // A partition's later batches in the failed transaction, or waiting behind it, go back with its first one.
    if (from !== undefined && from !== batch.firstOffset) return;
    if (from !== undefined) seek(input, partition, from);
    ledger.markStale();
    const delayMs = retries.afterBatchFailure(partition);
    log.warn('batch not committed, retrying', { topic: input, partition, delayMs, error: describeError(cause) });
    if (options.isStopping()) leave(partition, from);
    else pauseFor(batch.pause, delayMs);
  };

  // The transaction under way of each partition's last batch: the next batch returns once it has ended, so at
  // most two batches of a partition are uncommitted at a time.
  const committing = new Map<string, Promise<void>>();

  // Follows a batch's transaction to its end. A function of its own: closures of one scope share what they
  // capture, so one made in eachBatch would hold the payload, and its messages, until the transaction ended.
  const follow = (batch: CommittingBatch, committed: Promise<void>): void => {
    const { key } = batch;
    const ended: Promise<void> = committed.then(
      () => {
        retries.batchCommitted(batch.partition);
        options.progressed();
      },
      (error: unknown) => notCommitted(batch, error),
    );
    const tracked = ended.finally(() => {
      inFlight.delete(tracked);
      if (committing.get(key) === tracked) committing.delete(key);
    });
    inFlight.add(tracked);
    committing.set(key, tracked);
  };

  const eachBatch = async (payload: GroupBatchPayload): Promise<void> => {
    const { topic: input, partition } = payload.batch;
    const key = `${input}/${partition}`;
    let handled: HandledBatch;
    const handling = inTurn(partition, () => ledger.current(ledgerCatchUpMs).then(() => options.process(payload)));
    inFlight.add(handling);
    try {
      handled = await handling;
    } catch (error) {
      // The ledger could not be read: nothing was resolved, so the client seeks back to the batch's first message.
      log.warn('batch not handled, retrying', { topic: input, partition, error: describeError(error) });
      if (!options.isStopping()) pauseFor(payload.pause, retries.afterBatchFailure(partition));
      return;
    } finally {
      inFlight.delete(handling);
    }
    const { outcome, committed } = handled;
    const previous = committing.get(key);
    if (committed !== undefined) {
      const firstOffset = payload.batch.messages[0]?.offset;
      follow({ key, input, partition, firstOffset, pause: payload.pause }, committed);
    } else {
      options.progressed();
    }
    if (outcome.kind === 'retry' && !options.isStopping()) pauseFor(payload.pause, outcome.delayMs);
    else if (outcome.kind !== 'done') leave(partition, outcome.offset);
    // Returned, not awaited: an awaiting eachBatch would hold the payload until the previous transaction ended.
    return previous;
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
