// Ending a Kafka transaction the way librdkafka asks: a commit that timed out is resumed by calling commit
// again (until then every abort answers "Conflicting commit_transaction API call is already in progress"), an
// abort that timed out by calling abort again, an abortable failure by aborting, a fatal one by giving up.
//
// The client's KafkaJS layer drops librdkafka's retriable / abortable / fatal flags (it reads `retriable` where
// the binding sets `isRetriable`, so every flag arrives false, even for a fenced producer), so the next step is
// decided here from the error code.
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The calls of a KafkaJS transaction that end it. */
export interface EndableTransaction {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * After a failed commit or abort: call the same again, switch to commit or abort, or give the producer up:
 * `fenced` when another live instance took its transactional.id over (this instance must end), `broken` when
 * this producer can never transact again but a new one with the same id can (it aborts what is left open).
 */
export type NextStep = 'again' | 'commit' | 'abort' | 'fenced' | 'broken';

const codes = KafkaJS.ErrorCodes;

// Another instance runs with this transactional.id, or this one may not use it: a new producer would only
// fence the other in turn.
const fencedCodes = new Set<number>([
  codes.ERR__FENCED,
  codes.ERR_PRODUCER_FENCED,
  codes.ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  codes.ERR__NOT_CONFIGURED,
]);

// librdkafka raised a fatal error on this producer without a fencing: e.g. after a broker outage long enough for
// the group session to expire (30 s here), an abort answered INVALID_TXN_STATE.
const brokenCodes = new Set<number>([codes.ERR__FATAL, codes.ERR_INVALID_PRODUCER_EPOCH, codes.ERR_INVALID_TXN_STATE]);

// The call goes on in the background; calling it again resumes it (the broker was away, the coordinator moved).
const againCodes = new Set<number>([
  codes.ERR__TIMED_OUT,
  codes.ERR__TRANSPORT,
  codes.ERR__ALL_BROKERS_DOWN,
  codes.ERR__PREV_IN_PROGRESS,
  codes.ERR_REQUEST_TIMED_OUT,
  codes.ERR_COORDINATOR_LOAD_IN_PROGRESS,
  codes.ERR_COORDINATOR_NOT_AVAILABLE,
  codes.ERR_NOT_COORDINATOR,
  codes.ERR_CONCURRENT_TRANSACTIONS,
]);

/**
 * What to do after a commit or abort of a transaction failed with `error`.
 * @example nextStep(conflict) // 'commit' when librdkafka waits for a timed-out commit to be resumed
 */
export function nextStep(error: unknown): NextStep {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'number') return 'broken';
  if (fencedCodes.has(code)) return 'fenced';
  if (brokenCodes.has(code)) return 'broken';
  if (againCodes.has(code)) return 'again';
  if (code === codes.ERR__CONFLICT) {
    // librdkafka names the call that waits to be resumed.
    return String(message).includes('commit_transaction') ? 'commit' : 'abort';
  }
  return 'abort';
}

/** The producer of a transaction can never transact again; nothing of the transaction was committed. */
export class ProducerFailed extends WebshopError {
  /** True when another live instance took the transactional.id over: this instance must end, not replace it. */
  readonly fenced: boolean;

  constructor(message: string, fenced: boolean, cause?: unknown) {
    super('KAFKA_UNAVAILABLE', cause === undefined ? message : `${message}: ${String(cause)}`, {
      cause,
      retriable: !fenced,
    });
    this.name = 'ProducerFailed';
    this.fenced = fenced;
  }
}

/** The ProducerFailed in `error` or its causes, if any. */
export function producerFailure(error: unknown): ProducerFailed | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ProducerFailed) return cause;
  }
  return undefined;
}

export interface EndOptions {
  /** The pause before calling again after the `attempt`-th failure. */
  backoffMs(attempt: number): number;
  /** Told each time a call failed and is followed by another. */
  log?: Logger;
  /** A commit or abort not answered in this long is hung (see hungCallMs). */
  hungMs?: number;
}

const backoffMs = (attempt: number): number => Math.min(5000, 100 * 2 ** attempt);

// Each transactional call of the client has a 5 s timeout of its own, yet librdkafka has been seen never to answer
// one after the broker went away (the actor then stood still for good). A call not answered in 30 s is taken as
// hung: the producer is given up and replaced, and the new one (same transactional.id) aborts what is left open.
const hungCallMs = 30000;

/** `call`, or a ProducerFailed once `hungMs` passes without an answer. */
function answered<T>(call: Promise<T>, what: string, hungMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProducerFailed(`${what} was not answered in ${hungMs} ms`, false)), hungMs);
  });
  return Promise.race([call, hung]).finally(() => clearTimeout(timer));
}

/**
 * Commits (`intent` 'commit') or aborts `transaction`, calling again while the client asks for it.
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
      if (next === 'fenced') throw new ProducerFailed('the producer was fenced', true, error);
      if (next === 'broken') throw new ProducerFailed('the producer cannot transact any more', false, error);
      if (next === 'commit' && intent === 'abort') {
        throw new ProducerFailed('a commit waits that was never asked for', false, error);
      }
      if (next === 'abort' && call === 'abort')
        throw new ProducerFailed('the transaction cannot be aborted', false, error);
      options.log?.warn('transaction not ended yet, calling again', {
        call: next === 'again' ? call : next,
        attempt,
        error: String(error),
      });
      if (next === 'again') await new Promise((resolve) => setTimeout(resolve, options.backoffMs(attempt)));
      else call = next;
    }
  }
}

/** Runs `work` inside one transaction of `producer`: commits when it resolves, aborts and rejects otherwise. */
export async function transactionally(
  producer: KafkaJS.Producer,
  work: (transaction: KafkaJS.Transaction) => Promise<void>,
  log?: Logger,
  hungMs = hungCallMs,
): Promise<void> {
  const transaction = await producer.transaction();
  let failure: { error: unknown } | undefined;
  try {
    // Sends wait for their delivery up to message.timeout.ms (30 s), so they get twice the bound.
    await answered(work(transaction), "the transaction's sends", 2 * hungMs);
  } catch (error) {
    if (error instanceof ProducerFailed) throw error;
    failure = { error };
  }
  const { ended, error } = await endTransaction(transaction, failure ? 'abort' : 'commit', { backoffMs, log, hungMs });
  if (failure) throw failure.error;
  if (ended === 'aborted') {
    throw new WebshopError('KAFKA_UNAVAILABLE', `the transaction was not committed: ${String(error)}`, {
      cause: error,
      retriable: true,
    });
  }
}
