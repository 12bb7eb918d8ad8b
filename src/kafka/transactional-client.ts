// A transactional producer on the client's low-level API, for the actors: a transaction's messages are produced
// without a promise each (their delivery reports are counted), and its consumed offsets are sent through the group
// member's consumer. The KafkaJS-style producer costs about a third more CPU per message (bench/client-cost.ts).
import kafkaJavascript, {
  type DeliveryReport,
  type KafkaConsumer,
  type LibrdKafkaError,
  type MessageHeader,
} from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import type { OutgoingMessage } from '../contracts/message.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { lowLevelClient, producerSettings, routeClientLogs } from './client.js';
import type { WrittenFrom } from './produce.js';

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { Producer } = kafkaJavascript;

// The bound librdkafka gives each transactional call, as the KafkaJS-style producer does.
const callTimeoutMs = 5000;

/** A consumed partition's offset to commit in a transaction: the next one to read. */
export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
}

/** One open transaction of a TransactionalClient. */
export interface LowLevelTransaction {
  /** Produces `messages`; resolves with where they begin in each partition once the broker acknowledged them all. */
  send(messages: OutgoingMessage[]): Promise<WrittenFrom[]>;
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

/** What one send waits for: its delivery reports. */
interface Delivery {
  pending: number;
  written: Map<string, WrittenFrom>;
  failure?: LibrdKafkaError;
  done(): void;
}

const called = (call: (done: (error: LibrdKafkaError | null | undefined) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));

const unavailable = (error: unknown): WebshopError =>
  new WebshopError('KAFKA_UNAVAILABLE', `the broker did not acknowledge the messages: ${(error as Error).message}`, {
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
    ...lowLevelClient(config, clientId),
    dr_cb: true,
  });
  routeClientLogs(producer, log);
  producer.on('event.error', (error) => log.warn('producer error', { error: error.message }));
  producer.on('delivery-report', (error: LibrdKafkaError, report: DeliveryReport) => {
    const delivery = report.opaque as Delivery;
    if (error) delivery.failure ??= error;
    else {
      const key = `${report.topic}/${report.partition}`;
      const first = delivery.written.get(key);
      if (first === undefined || report.offset < first.offset) {
        delivery.written.set(key, { topic: report.topic, partition: report.partition, offset: report.offset });
      }
    }
    delivery.pending -= 1;
    if (delivery.pending === 0) delivery.done();
  });

  const send = (messages: OutgoingMessage[]): Promise<WrittenFrom[]> =>
    new Promise((resolve, reject) => {
      if (messages.length === 0) return resolve([]);
      const delivery: Delivery = {
        pending: messages.length,
        written: new Map(),
        done: () =>
          delivery.failure ? reject(unavailable(delivery.failure)) : resolve([...delivery.written.values()]),
      };
      try {
        for (const { topic, key, value, headers, partition } of messages) {
          const list: MessageHeader[] = [];
          for (const name in headers) list.push({ [name]: headers[name]! });
          const body = typeof value === 'string' ? Buffer.from(value) : value;
          producer.produce(topic, partition ?? null, body, key, undefined, delivery, list);
        }
      } catch (error) {
        // The messages produced so far still report; the transaction is aborted.
        delivery.done = () => undefined;
        reject(unavailable(error));
      }
    });

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
      producer.setPollInBackground(true);
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
