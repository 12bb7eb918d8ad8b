// An actor's transactional producer, replaced when librdkafka declares it unusable without a fencing (e.g. an abort
// answered INVALID_TXN_STATE after a long broker outage). The new producer has the same transactional.id: its start
// aborts whatever the old one left open, and the batch is retried.
import type { Config } from '../config.js';
import type { OutgoingMessage } from '../contracts/message.js';
import { describeError, WebshopError } from '../errors.js';
import { disconnectWithin } from '../kafka/client.js';
import type { GroupMember } from '../kafka/group-consumer.js';
import type { ConsumedOffset } from '../kafka/offsets.js';
import type { WrittenSince } from '../kafka/produce.js';
import { needsNewProducer } from '../kafka/producer-failure.js';
import { commitTransaction } from '../kafka/transaction.js';
import { transactionalClient, type TransactionalClient } from '../kafka/transactional-client.js';
import type { Logger } from '../logger.js';
import { answeredWithin } from '../unanswered.js';

export interface TransactionalProducer {
  connect(): Promise<void>;
  /**
   * Produces `messages` and commits `consumed` for `member`'s group in one transaction (see commitTransaction);
   * resolves with the partitions it wrote to and since when.
   */
  commit(member: GroupMember, messages: OutgoingMessage[], consumed: ConsumedOffset[]): Promise<WrittenSince[]>;
  disconnect(): Promise<void>;
}

// A broken producer's disconnect can wait on a transaction that will never end.
const abandonProducerAfterMs = 5000;

// Every other step of a commit is bounded (transaction.ts), and so is this one. In a CI run an actor replacing its
// producer while the brokers came back stood still for good, its commits waiting behind the replacement: a new
// producer's connect (metadata, then InitProducerId) was the one step without a bound. Past this the producer is
// abandoned too, and the next commit starts another.
const connectHungMs = 15000;

/**
 * Calls `create` for the first producer and for each replacement.
 * @example const producer = replaceableProducer(() => transactionalClient(config, log, id, transactionalId), log);
 */
export function replaceableProducer(
  create: () => TransactionalClient,
  log: Logger,
  connectMs = connectHungMs,
): TransactionalProducer {
  let producer = create();
  let broken = false;

  const replace = async (): Promise<void> => {
    await disconnectWithin(producer, abandonProducerAfterMs);
    producer = create();
    // Until this connect succeeds (the broker may still be away), the next commit tries again.
    await answeredWithin(producer.connect(), connectMs, () => {
      throw new WebshopError('KAFKA_UNAVAILABLE', `a new producer did not connect in ${connectMs} ms`, {
        retriable: true,
      });
    });
    broken = false;
    log.info('producer replaced');
  };

  return {
    connect: () => producer.connect(),
    async commit(member, messages, consumed) {
      if (broken) await replace();
      try {
        return await commitTransaction(producer, member.client, messages, consumed, log);
      } catch (error) {
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

/**
 * Producers that take turns, one transaction at a time as with one. A producer's next transaction waits at the
 * coordinator while the markers of its last one are still being written (CONCURRENT_TRANSACTIONS, which librdkafka
 * retries after a fixed 20 ms); taking turns gives those markers the other producer's whole transaction.
 * @example const producer = takingTurns([replaceableProducer(a, log), replaceableProducer(b, log)]);
 */
export function takingTurns(producers: readonly TransactionalProducer[]): TransactionalProducer {
  let next = 0;
  const all = async (step: (producer: TransactionalProducer) => Promise<void>): Promise<void> => {
    await Promise.all(producers.map(step));
  };
  return {
    connect: () => all((producer) => producer.connect()),
    commit(member, messages, consumed) {
      const producer = producers[next];
      next = (next + 1) % producers.length;
      return producer.commit(member, messages, consumed);
    },
    disconnect: () => all((producer) => producer.disconnect()),
  };
}

/**
 * An actor instance's producer: two transactional producers taking turns, `<name>` and `<name>.2` (their
 * transactional ids carry the topic prefix), each replaced when it becomes unusable.
 * @example const producer = instanceProducer(config, log, 'payment-host-5002');
 */
export function instanceProducer(config: Config, log: Logger, name: string): TransactionalProducer {
  return takingTurns(
    [name, `${name}.2`].map((id) =>
      replaceableProducer(() => transactionalClient(config, log, id, `${config.topicPrefix}${id}`), log),
    ),
  );
}
