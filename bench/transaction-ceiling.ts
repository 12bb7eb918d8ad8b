// The transaction ceiling: how long one consume-process-produce transaction of the shop's client takes (one
// output event plus the consumed offset, committed), one at a time as each actor instance runs them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { createConsumer, createProducer } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { commitTransaction } from '../src/kafka/transaction.js';
import type { Logger } from '../src/logger.js';
import { inputEvent } from './order-events.js';
import { showProgress } from './progress.js';
import { Samples, type Percentiles } from './samples.js';

export interface TransactionCeiling {
  transactions: number;
  perS: number;
  /** From beginning the transaction to its commit returning. */
  commitMs: Percentiles;
}

/**
 * Commits transactions back to back for `durationS` (after `warmupS`), each producing one event to
 * `outputTopic` and committing an offset of `inputTopic` (an empty topic: nothing is read) for the group.
 */
export async function measureTransactionCeiling(
  config: Config,
  log: Logger,
  {
    inputTopic,
    outputTopic,
    durationS,
    warmupS,
  }: { inputTopic: string; outputTopic: string; durationS: number; warmupS: number },
): Promise<TransactionCeiling> {
  const name = `${config.topicPrefix}bench-transactions`;
  const producer = createProducer(config, log, 'bench-transactions', { transactionalId: name });
  const consumer = createConsumer(config, log, 'bench-transactions', { groupId: name });
  await Promise.all([producer.connect(), consumer.connect()]);
  let sequence = 0;
  const latencies = new Samples();
  let committed = 0;
  const stopProgress = showProgress('raw transactions', () => `${committed} committed (${latencies.count} timed)`);
  try {
    // Offsets go in with the group's generation: the consumer must be a member of its group first.
    await consumer.subscribe({ topics: [inputTopic] });
    await consumer.run({ eachBatch: async () => undefined });
    const joinDeadline = performance.now() + 30000;
    while (consumer.assignment().length === 0 && performance.now() < joinDeadline) await sleep(10);
    const commitFor = async (seconds: number, record: Samples): Promise<number> => {
      const started = performance.now();
      while (performance.now() < started + seconds * 1000) {
        const message = eventMessage(outputTopic, inputEvent('webshop.payment.completed', 'txn', sequence));
        const begun = performance.now();
        const consumed = [{ topic: inputTopic, partition: 0, offset: String(sequence++) }];
        await commitTransaction(producer, consumer, [message], consumed);
        record.add(performance.now() - begun);
        committed += 1;
      }
      return (performance.now() - started) / 1000;
    };
    await commitFor(warmupS, new Samples());
    const seconds = await commitFor(durationS, latencies);
    return {
      transactions: latencies.count,
      perS: Math.round(latencies.count / seconds),
      commitMs: latencies.percentiles(),
    };
  } finally {
    stopProgress();
    await consumer.disconnect();
    await producer.disconnect();
  }
}
