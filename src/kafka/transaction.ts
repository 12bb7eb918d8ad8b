// Kafka transactions: work run in one (committed when it resolves, aborted otherwise), messages and consumed
// offsets committed atomically, and a transaction ended the way librdkafka asks even when its calls time out.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaConsumer } from '@confluentinc/kafka-javascript';
import type { OutgoingMessage } from '../contracts/message.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { answeredWithin } from '../unanswered.js';
import { transactionTimeoutMs, type Producer } from './client.js';
import { nextOffset, type ConsumedOffset } from './offsets.js';
import { produce, type WrittenSince } from './produce.js';
import { nextStep, ProducerFailed, undeliveredMessage } from './producer-failure.js';
import type { TransactionalClient } from './transactional-client.js';

/** The calls of a transaction that end it (a KafkaJS-style one, or a TransactionalClient's). */
export interface EndableTransaction {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface EndOptions {
  /** The pause before calling again after the `attempt`-th failure. */
  backoffMs(attempt: number): number;
  /** Told each time a call failed and is followed by another. */
  log?: Logger;
  /** A commit or abort not answered in this long is hung (see hungCallMs). */
  hungMs?: number;
  /** How long the transaction has been open: one open for transaction.timeout.ms was aborted by its coordinator. */
  openForMs?: () => number;
}

const backoffMs = (attempt: number): number => Math.min(5000, 100 * 2 ** attempt);

// Each transactional call of the client has a 5 s timeout of its own, yet librdkafka has been seen never to answer
// one after the broker went away (the actor then stood still for good). A call not answered in 30 s is taken as
// hung: the producer is given up and replaced, and the new one (same transactional.id) aborts what is left open.
const hungCallMs = 30000;

// librdkafka 2.15 can leave send_offsets_to_transaction unanswered for good, past its own 5 s API timeout, when
// the group coordinator was a broker that left the cluster: the TxnOffsetCommit waits for a connection to the
// decommissioned broker, and the coordinator is never looked up again (confluentinc/librdkafka#5456 and #5511,
// open). After a kill -9 every actor hung there until the sends' bound. Twice the client's own timeout is taken as
// hung: the producer is replaced, and the new one finds the group's new coordinator.
const offsetsHungMs = 10000;

/**
 * A ProducerFailed when a message of the transaction was not delivered in time (undeliveredMessage): the producer is
 * given up, and its replacement starts from fresh metadata.
 */
const undelivered = (error: unknown): ProducerFailed | undefined =>
  undeliveredMessage(error)
    ? new ProducerFailed('the transaction was not committed: a message was not delivered in time', false, error)
    : undefined;

/** `call`, or a ProducerFailed once `hungMs` passes without an answer. */
function answered<T>(call: Promise<T>, what: string, hungMs: number): Promise<T> {
  return answeredWithin(call, hungMs, () => {
    throw new ProducerFailed(`${what} was not answered in ${hungMs} ms`, false);
  });
}

/**
 * A fencing error, told apart by the transaction's age: the coordinator aborts a transaction open longer than
 * transaction.timeout.ms (a broker outage that long) and bumps the producer's epoch, which librdkafka reports as
 * fenced too. Then a new producer with the same transactional.id carries on; only a younger transaction can have
 * been fenced by a live twin, and then this instance must end. Should a twin fence an old one, the replacement
 * fences the twin in turn, whose transaction is young: it ends, and one instance goes on.
 */
function fencing(error: unknown, openForMs: number): ProducerFailed {
  if (openForMs < transactionTimeoutMs) return new ProducerFailed('the producer was fenced', true, error);
  const reason = `the transaction was open ${Math.round(openForMs)} ms, past transaction.timeout.ms: its coordinator aborted it`;
  return new ProducerFailed(reason, false, error);
}

/**
 * Commits (`intent` 'commit') or aborts `transaction`, calling again while the client asks for it: a commit that
 * timed out is resumed by calling commit again (until then every abort answers "Conflicting commit_transaction API
 * call is already in progress"), an abort that timed out by calling abort again, an abortable failure by aborting,
 * a fatal one by giving up (nextStep in producer-failure.ts decides which from the error code).
 * Resolves with what happened: a commit can end aborted (the broker refused it), never an abort committed.
 * Rejects with a ProducerFailed when the producer can never transact again.
 */
export async function endTransaction(
  transaction: EndableTransaction,
  intent: 'commit' | 'abort',
  options: EndOptions = { backoffMs },
): Promise<{ ended: 'committed' | 'aborted'; error?: unknown }> {
  let call = intent;
  let firstError: unknown;
  const endingSince = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await answered(
        call === 'commit' ? transaction.commit() : transaction.abort(),
        `the transaction's ${call}`,
        options.hungMs ?? hungCallMs,
      );
      return call === 'commit' ? { ended: 'committed' } : { ended: 'aborted', error: firstError };
    } catch (error) {
      if (error instanceof ProducerFailed) throw error;
      firstError ??= error;
      const next = nextStep(error);
      if (next === 'fenced') throw fencing(error, options.openForMs?.() ?? 0);
      if (next === 'broken') throw new ProducerFailed('the producer cannot transact any more', false, error);
      if (next === 'commit' && intent === 'abort') {
        throw new ProducerFailed('a commit waits that was never asked for', false, error);
      }
      if (next === 'abort' && call === 'abort')
        throw new ProducerFailed('the transaction cannot be aborted', false, error);
      // A call that keeps timing out is not resumed for ever (seen after a broker outage: each call answered its 5 s
      // timeout for minutes): past the hung bound the producer is given up, and a new one aborts what is left open.
      const endingMs = Date.now() - endingSince;
      if (next === 'again' && endingMs >= (options.hungMs ?? hungCallMs)) {
        throw new ProducerFailed(`the transaction did not end in ${endingMs} ms`, false, error);
      }
      options.log?.warn('transaction not ended yet, calling again', {
        call: next === 'again' ? call : next,
        attempt,
        error: String(error),
      });
      if (next === 'again') await sleep(options.backoffMs(attempt));
      else call = next;
    }
  }
}

/**
 * Runs `work` inside one transaction of `producer`: commits when it resolves and resolves with what `work` gave,
 * aborts and rejects otherwise (with a ProducerFailed when a message was not delivered in time).
 */
export async function transactionally<T, Transaction extends EndableTransaction>(
  producer: { transaction(): Promise<Transaction> },
  work: (transaction: Transaction) => Promise<T>,
  log?: Logger,
  hungMs = hungCallMs,
): Promise<T> {
  const openedAt = performance.now();
  const transaction = await producer.transaction();
  let failure: { error: unknown } | undefined;
  let result: T | undefined;
  try {
    // Sends wait for their delivery up to message.timeout.ms (30 s), so they get twice the bound.
    result = await answered(work(transaction), "the transaction's sends", 2 * hungMs);
  } catch (error) {
    if (error instanceof ProducerFailed) throw error;
    failure = { error };
  }
  const { ended, error } = await endTransaction(transaction, failure ? 'abort' : 'commit', {
    backoffMs,
    log,
    hungMs,
    openForMs: () => performance.now() - openedAt,
  });
  if (failure) throw undelivered(failure.error) ?? failure.error;
  if (ended === 'aborted') {
    throw (
      undelivered(error) ??
      new WebshopError('KAFKA_UNAVAILABLE', `the transaction was not committed: ${String(error)}`, {
        cause: error,
        retriable: true,
      })
    );
  }
  return result as T;
}

/**
 * Produces `messages` and commits the consumer's offsets in one Kafka transaction: either all become
 * visible to read_committed readers or none does. Resolves with the partitions it wrote to and since when.
 */
export function commitTransaction(
  producer: TransactionalClient,
  consumer: KafkaConsumer,
  messages: OutgoingMessage[],
  consumed: ConsumedOffset[],
  log?: Logger,
  offsetsTimeoutMs = offsetsHungMs,
): Promise<WrittenSince[]> {
  const next = consumed.map(({ topic, partition, offset }) => ({
    topic,
    partition,
    offset: Number(nextOffset(offset)),
  }));
  return transactionally(
    producer,
    async (transaction) => {
      const written = await transaction.send(messages);
      const offsets = transaction.sendOffsets(consumer, next);
      await answered(offsets, "the transaction's offsets", offsetsTimeoutMs);
      return written;
    },
    log,
  );
}

/** Produces `messages` in one transaction of a transactional producer: all become visible, or none. */
export async function produceAtomically(producer: Producer, messages: OutgoingMessage[], log?: Logger): Promise<void> {
  await transactionally(producer, (transaction) => produce(transaction, messages), log);
}
