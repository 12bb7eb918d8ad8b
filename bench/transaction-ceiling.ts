// The transaction ceiling: how long one consume-process-produce transaction of the shop's client takes (one
// output event plus the consumed offset, committed), one at a time as each actor instance runs them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { memberSettings } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { joinGroup } from '../src/kafka/group-consumer.js';
import { commitTransaction } from '../src/kafka/transaction.js';
import { transactionalClient } from '../src/kafka/transactional-client.js';
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
  const producer = transactionalClient(config, log, 'bench-transactions', name);
  await producer.connect();
  // Offsets go in with the group's generation: the consumer must be a member of its group first.
  let assigned = false;
  const member = await joinGroup(memberSettings(config, 'bench-transactions', { groupId: name }), {
    topics: [inputTopic],
    batchSize: 1,
    concurrency: 1,
    eachBatch: async () => undefined,
    onAssign: () => void (assigned = true),
    onRevoke: async () => undefined,
    log,
  });
  let sequence = 0;
  const latencies = new Samples();
  let committed = 0;
  const stopProgress = showProgress('raw transactions', () => `${committed} committed (${latencies.count} timed)`);
  try {
    const joinDeadline = performance.now() + 30000;
    while (!assigned && performance.now() < joinDeadline) await sleep(10);
    const commitFor = async (seconds: number, record: Samples): Promise<number> => {
      const started = performance.now();
      while (performance.now() < started + seconds * 1000) {
        const message = eventMessage(outputTopic, inputEvent('webshop.payment.completed', 'txn', sequence));
        const begun = performance.now();
        const consumed = [{ topic: inputTopic, partition: 0, offset: String(sequence++) }];
        await commitTransaction(producer, member.client, [message], consumed);
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
    await member.disconnect();
    await producer.disconnect();
  }
}
