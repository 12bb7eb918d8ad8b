// What a failed transactional call means: call it again, switch to commit or abort, or give the producer up
// (fenced by a live twin, or broken for good), decided from the error code.
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { WebshopError } from '../errors.js';

/**
 * After a failed commit or abort: call the same again, switch to commit or abort, or give the producer up:
 * `fenced` when another live instance took its transactional.id over (this instance must end), `broken` when
 * this producer can never transact again but a new one with the same id can (it aborts what is left open).
 */
export type NextStep = 'again' | 'commit' | 'abort' | 'fenced' | 'broken';

// The client's KafkaJS layer drops librdkafka's retriable / abortable / fatal flags (it reads `retriable` where the
// binding sets `isRetriable`, so every flag arrives false, even for a fenced producer): only the code can be trusted.
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

/** `error` and its causes, outermost first. */
function* causes(error: unknown): Generator<Error> {
  for (let cause = error; cause instanceof Error; cause = cause.cause) yield cause;
}

/** The ProducerFailed in `error` or its causes, if any. */
export function producerFailure(error: unknown): ProducerFailed | undefined {
  for (const cause of causes(error)) if (cause instanceof ProducerFailed) return cause;
  return undefined;
}

/**
 * True when `error` or one of its causes is a message not delivered in message.timeout.ms (30 s): its partition
 * had no reachable leader that long. librdkafka has been seen to keep a departed broker as a partition's leader
 * (confluentinc/librdkafka#4976, open), and every retry with the same producer then times out again.
 */
export function undeliveredMessage(error: unknown): boolean {
  for (const cause of causes(error)) if ((cause as { code?: unknown }).code === codes.ERR__MSG_TIMED_OUT) return true;
  return false;
}

/** True when this instance must end: another live instance with its transactional.id fenced its producer. */
export function isFenced(error: unknown): boolean {
  return producerFailure(error)?.fenced === true;
}

/** True when the producer can never transact again but a new one with the same transactional.id can. */
export function needsNewProducer(error: unknown): boolean {
  return producerFailure(error)?.fenced === false;
}
