// What `make dlq` and `make dlq-replay` do against the broker: read every dead letter up to the current end
// with its replay status, and replay a selection once, atomically with the record that it was replayed.
import type { Config } from '../config.js';
import { topic, topicNames } from '../contracts/topics.js';
import { createProducer } from '../kafka/client.js';
import { readToEnd } from '../kafka/reader.js';
import { produceAtomically } from '../kafka/transaction.js';
import type { Logger } from '../logger.js';
import {
  deadLetterEntries,
  replayLog,
  replayMessage,
  replayRecord,
  select,
  type DeadLetterEntry,
  type Selector,
} from './dlq-letters.js';
import { listLines, type ReplayReport } from './dlq-table.js';

/** Every dead letter on `dead_letter` now, oldest failure first, each with its replay from `dead_letter_replays`. */
export async function readDeadLetters(config: Config, log: Logger): Promise<DeadLetterEntry[]> {
  const letters = topic(config.topicPrefix, 'dead_letter');
  const replays = topic(config.topicPrefix, 'dead_letter_replays');
  const read = await readToEnd(config, log, [letters, replays]);
  return deadLetterEntries(
    read.filter((stored) => stored.topic === letters),
    replayLog(read.filter((stored) => stored.topic === replays)),
  );
}

/**
 * The lines `make dlq` prints: every dead letter (or those with one of `codes`), the last `limit` of them.
 * @example for (const line of await listDeadLetters(config, log, { codes: ['INVALID_JSON'] })) console.log(line);
 */
export async function listDeadLetters(
  config: Config,
  log: Logger,
  options: { codes?: string[]; limit?: number | undefined },
): Promise<string[]> {
  const entries = await readDeadLetters(config, log);
  const codes = options.codes ?? [];
  if (codes.length === 0) return listLines(entries, options.limit);
  const chosen = select(entries, { codes }, config.topicPrefix);
  if (chosen.length === 0) return [`no dead letters with code ${codes.join(' or ')} (${entries.length} in all)`];
  return listLines(chosen, options.limit);
}

// Replays go back to the shop's own topics only: never into the dead-letter topics, never elsewhere.
function plan(selected: DeadLetterEntry[], prefix: string, dryRun: boolean): ReplayReport {
  const targets = new Set(
    topicNames.filter((name) => !name.startsWith('dead_letter')).map((name) => topic(prefix, name)),
  );
  const report: ReplayReport = { dryRun, replayed: [], skipped: [] };
  for (const entry of selected) {
    if (entry.replayed) {
      const at = entry.replayed.replayedAt ? ` at ${entry.replayed.replayedAt}` : '';
      report.skipped.push({ entry, reason: `already replayed${at}` });
    } else if (!targets.has(entry.origin.topic)) {
      report.skipped.push({ entry, reason: `origin topic ${entry.origin.topic || '(none)'} is not one of the shop's` });
    } else {
      report.replayed.push(entry);
    }
  }
  return report;
}

/**
 * Re-publishes the dead letters `selector` chooses that were not replayed yet, to their original topics,
 * and records them in `dead_letter_replays`, all in one transaction. A dry run only says what it would do.
 * @example const report = await replayDeadLetters(config, log, { selector: { codes: ['PROCESSING_FAILED'] } });
 */
export async function replayDeadLetters(
  config: Config,
  log: Logger,
  options: { selector: Selector; dryRun?: boolean; now?: () => Date },
): Promise<ReplayReport> {
  const dryRun = options.dryRun ?? false;
  const producer = dryRun
    ? undefined
    : createProducer(config, log, 'dlq-replay', { transactionalId: `${config.topicPrefix}webshop-dlq-replay` });
  // Connecting fences an earlier run that is still replaying (same transactional id): the replay log read
  // next holds everything an earlier run committed, and what it had not committed never will be.
  await producer?.connect();
  try {
    const entries = await readDeadLetters(config, log);
    const report = plan(select(entries, options.selector, config.topicPrefix), config.topicPrefix, dryRun);
    if (producer !== undefined && report.replayed.length > 0) {
      const replayedAt = options.now?.() ?? new Date();
      const replays = topic(config.topicPrefix, 'dead_letter_replays');
      await produceAtomically(
        producer,
        [
          ...report.replayed.map((entry) => replayMessage(entry, replayedAt)),
          ...report.replayed.map((entry) => replayRecord(replays, entry, replayedAt)),
        ],
        log,
      );
      log.info('dead letters replayed', { count: report.replayed.length, skipped: report.skipped.length });
    }
    return report;
  } finally {
    // The outcome is decided by now: a failing disconnect must not turn a done replay into an error.
    await producer?.disconnect().catch((error: unknown) => {
      log.warn('replay producer disconnect failed', { error: (error as Error).message });
    });
  }
}
