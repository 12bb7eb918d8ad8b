// A transactional producer on the client's low-level API, for the actors: a transaction's messages are produced
// without a promise or a delivery report each (the commit fails if one was not delivered), and its consumed offsets
// are sent through the group member's consumer. Per 100k messages in transactions this process spends 0.58 CPU-s,
// 0.99 with a report per message, 1.33 through the KafkaJS-style producer (bench/client-cost.ts, medians).
import kafkaJavascript, {
  type KafkaConsumer,
  type LibrdKafkaError,
  type MessageHeader,
} from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import type { OutgoingMessage } from '../contracts/message.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { lowLevelClient, producerSettings, routeClientLogs } from './client.js';
import type { WrittenSince } from './produce.js';

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { Producer } = kafkaJavascript;

// The bound librdkafka gives each transactional call, as the KafkaJS-style producer does.
const callTimeoutMs = 5000;
// The client's events (errors; each message's delivery, which no callback takes) are served by the flush that
// librdkafka runs before it ends a transaction, and between those by a poll from the JS thread this often. Not by
// librdkafka's background thread: with the event queue handed to it, a flush found nothing to wait on and slept in
// 10 ms steps until every message was out (a lone transaction's commit took 14 ms at p50 instead of 4,
// docs/bench-history.md).
const pollEveryMs = 100;

// A transaction's offsets now and then reach the coordinator while the producer's last transaction is still being
// marked: the coordinator answers CONCURRENT_TRANSACTIONS, and librdkafka asks again after retry.backoff.ms (100 ms by
// default, doubling up to retry.backoff.max.ms, 1 s). One producer's transactions back to back took 100 ms each so;
// with 5 ms, 2-3 ms at p50 (bench/README.md).
const retryBackoffMs = 5;

/** A consumed partition's offset to commit in a transaction: the next one to read. */
export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
}

/** One open transaction of a TransactionalClient. */
export interface LowLevelTransaction {
  /**
   * Produces `messages` without waiting for them, and resolves with the partitions that were named (those placed by
   * their keys are left out). The commit waits for them; a message that was not delivered fails it.
   */
  send(messages: OutgoingMessage[]): Promise<WrittenSince[]>;
  /** Adds `offsets` of `consumer`'s group to the transaction. */
  sendOffsets(consumer: KafkaConsumer, offsets: OffsetToCommit[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionalClient {
  /** Connects and initializes transactions (aborting what an earlier producer with this id left open). */
  connect(): Promise<void>;
  /** Begins a transaction; one at a time. */
  transaction(): Promise<LowLevelTransaction>;
  disconnect(): Promise<void>;
}

const called = (call: (done: (error: LibrdKafkaError | null | undefined) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));

const unavailable = (error: unknown): WebshopError =>
  new WebshopError('KAFKA_UNAVAILABLE', `the client did not take the messages: ${(error as Error).message}`, {
    cause: error,
    retriable: true,
  });

/**
 * A transactional producer with createProducer's settings.
 * @example const client = transactionalClient(config, log, 'payment-1', 'webshop.payment-1'); await client.connect();
 */
export function transactionalClient(
  config: Config,
  log: Logger,
  clientId: string,
  transactionalId: string,
): TransactionalClient {
  const producer = new Producer({
    ...producerSettings(config, { transactionalId }),
    'retry.backoff.ms': retryBackoffMs,
    ...lowLevelClient(config, clientId),
  });
  routeClientLogs(producer, log);
  producer.on('event.error', (error) => log.warn('producer error', { error: error.message }));

  // The messages are not awaited here: their offsets go to the coordinator while they are being sent (the commit
  // waits for every message and fails if one was not delivered). Awaiting them first, with a flush, cost each
  // transaction a round trip to the broker (bench/README.md).
  const send = async (messages: OutgoingMessage[]): Promise<WrittenSince[]> => {
    if (messages.length === 0) return [];
    const since = Date.now();
    const written = new Map<string, WrittenSince>();
    try {
      for (const { topic, key, value, headers, partition } of messages) {
        const list: MessageHeader[] = [];
        for (const name in headers) list.push({ [name]: headers[name]! });
        const body = typeof value === 'string' ? Buffer.from(value) : value;
        producer.produce(topic, partition ?? null, body, key, undefined, undefined, list);
        if (partition !== undefined) written.set(`${topic}/${partition}`, { topic, partition, since });
      }
    } catch (error) {
      // The messages produced so far are still sent; the transaction is aborted.
      throw unavailable(error);
    }
    return [...written.values()];
  };

  const transaction: LowLevelTransaction = {
    send,
    sendOffsets: (consumer, offsets) =>
      called((done) => producer.sendOffsetsToTransaction(offsets, consumer, callTimeoutMs, done)),
    commit: () => called((done) => producer.commitTransaction(callTimeoutMs, done)),
    abort: () => called((done) => producer.abortTransaction(callTimeoutMs, done)),
  };

  return {
    async connect() {
      await called((done) => producer.connect({}, (error) => done(error)));
      producer.setPollInterval(pollEveryMs);
      await called((done) => producer.initTransactions(callTimeoutMs, done));
    },
    async transaction() {
      await called((done) => producer.beginTransaction(done));
      return transaction;
    },
    async disconnect() {
      await called((done) => producer.flush(callTimeoutMs, done)).catch(() => undefined);
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
  };
}
