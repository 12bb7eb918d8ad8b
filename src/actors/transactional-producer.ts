// An actor's transactional producer, replaced when librdkafka declares it unusable. The new producer has the
// same transactional.id: its start aborts whatever the old one left open, and the batch is retried.
//
// A fencing is ambiguous: another live instance with the same id (two instances given one ACTOR_INSTANCE_ID)
// fences this one, but so does the coordinator when it aborts a transaction that outlived transaction.timeout.ms
// while the broker was away. So the first fencing replaces the producer too; a second one within
// `fencedAgainWithinMs` means a live twin (each replacement fences it, and it fences back), and this instance ends.
import { describeError, WebshopError } from '../errors.js';
import {
  commitTransaction,
  isFenced,
  needsNewProducer,
  type ConsumedOffset,
  type Consumer,
  type OutgoingMessage,
  type Producer,
} from '../kafka/client.js';
import type { Logger } from '../logger.js';

export interface TransactionalProducer {
  connect(): Promise<void>;
  /**
   * Produces `messages` and commits `consumed` for `consumer` in one transaction (see commitTransaction).
   * Rejects with a fenced error (isFenced) only when this instance must end.
   */
  commit(consumer: Consumer, messages: OutgoingMessage[], consumed: ConsumedOffset[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ReplaceOptions {
  /** A second fencing this soon after the first means a live twin. */
  fencedAgainWithinMs?: number;
  now?(): number;
}

// A broken producer's disconnect can wait on a transaction that will never end.
const abandonProducerAfterMs = 5000;

/**
 * Calls `create` for the first producer and for each replacement.
 * @example const producer = replaceableProducer(() => createProducer(config, log, id, { transactionalId }), log);
 */
export function replaceableProducer(
  create: () => Producer,
  log: Logger,
  { fencedAgainWithinMs = 60000, now = Date.now }: ReplaceOptions = {},
): TransactionalProducer {
  let producer = create();
  let broken = false;
  let fencedAt = -Infinity;

  const replace = async (): Promise<void> => {
    const old = producer;
    await Promise.race([
      old.disconnect().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, abandonProducerAfterMs).unref()),
    ]);
    producer = create();
    // Until this connect succeeds (the broker may still be away), the next commit tries again.
    await producer.connect();
    broken = false;
    log.info('producer replaced');
  };

  return {
    connect: () => producer.connect(),
    async commit(consumer, messages, consumed) {
      if (broken) await replace();
      try {
        await commitTransaction(producer, consumer, messages, consumed, log);
      } catch (error) {
        if (isFenced(error)) {
          if (now() - fencedAt < fencedAgainWithinMs) throw error;
          fencedAt = now();
          broken = true;
          log.error('producer fenced, replacing it once', { error: describeError(error) });
          // Not the fenced error itself: this instance goes on, unless it is fenced again soon.
          throw new WebshopError('KAFKA_UNAVAILABLE', 'the producer was fenced and is being replaced', {
            retriable: true,
          });
        }
        if (needsNewProducer(error)) {
          broken = true;
          log.error('producer failed, replacing it', { error: describeError(error) });
        }
        throw error;
      }
    },
    disconnect: () => producer.disconnect(),
  };
}
