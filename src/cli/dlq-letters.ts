// What `make dlq` knows of a dead letter: read from its dlq-* headers and the replay log, chosen by the
// user's selector, and turned back into the message it was (marked as a replay) when it is replayed.
import { deadLetterHeaders, replayHeaders, type ReplayRecord } from '../contracts/dead-letter.js';
import { copiedHeaders, headerText, type OutgoingMessage } from '../contracts/message.js';
import type { KafkaMessage } from '../kafka/client.js';
import type { StoredMessage } from '../kafka/reader.js';

export interface DeadLetterEntry {
  /** `<partition>/<offset>` of the dead letter: its key in dead_letter_replays. */
  id: string;
  /** The dead-letter topic it was read from. */
  topic: string;
  message: KafkaMessage;
  failedAt: Date;
  origin: { topic: string; partition: string; offset: string };
  code: string;
  error: string;
  /** The dead letter this message was replayed from, when it failed again after a replay. */
  replayOf: string | undefined;
  /** Set when the dead letter was replayed already. */
  replayed: ReplayRecord | undefined;
}

/** Which dead letters to replay: every one, those with one of some error codes, or some by position. */
export type Selector = { all: true } | { codes: string[] } | { positions: string[] };

/** The replay log: the last record of each key wins, and a tombstone (null value) forgets a replay. */
export function replayLog(records: StoredMessage[]): Map<string, ReplayRecord> {
  const replays = new Map<string, ReplayRecord>();
  for (const { message } of records) {
    const key = message.key?.toString();
    if (key === undefined) continue;
    if (message.value === null) replays.delete(key);
    else replays.set(key, replayRecordOf(message.value));
  }
  return replays;
}

function replayRecordOf(value: Buffer): ReplayRecord {
  try {
    const { replayedAt, originalTopic } = JSON.parse(value.toString('utf8')) as Partial<ReplayRecord>;
    return { replayedAt: String(replayedAt ?? ''), originalTopic: String(originalTopic ?? '') };
  } catch {
    // An unreadable record still says the dead letter was replayed: skipping is the safe reading.
    return { replayedAt: '', originalTopic: '' };
  }
}

/** The dead letters of `letters` in the order they failed, each with its replay, if any. */
export function deadLetterEntries(letters: StoredMessage[], replays: Map<string, ReplayRecord>): DeadLetterEntry[] {
  const entries = letters.map(({ topic, partition, message }): DeadLetterEntry => {
    const header = (name: string): string => headerText(message, name) ?? '';
    const id = `${partition}/${message.offset}`;
    const failedAt = new Date(header(deadLetterHeaders.failedAt) || Number(message.timestamp));
    return {
      id,
      topic,
      message,
      failedAt: Number.isNaN(failedAt.getTime()) ? new Date(Number(message.timestamp)) : failedAt,
      origin: {
        topic: header(deadLetterHeaders.originalTopic),
        partition: header(deadLetterHeaders.originalPartition),
        offset: header(deadLetterHeaders.originalOffset),
      },
      code: header(deadLetterHeaders.errorCode),
      error: header(deadLetterHeaders.errorMessage),
      replayOf: headerText(message, replayHeaders.replayOf),
      replayed: replays.get(id),
    };
  });
  return entries.sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime() || compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  const [pa = 0, oa = 0] = a.split('/').map(Number);
  const [pb = 0, ob = 0] = b.split('/').map(Number);
  return pa - pb || oa - ob;
}

/**
 * True when `position` (`TOPIC/PARTITION/OFFSET`, the topic with or without `prefix`) names the message the
 * dead letter came from, or the dead letter itself (`dead_letter/PARTITION/OFFSET`).
 */
export function isAt(entry: DeadLetterEntry, position: string, prefix: string): boolean {
  // Kafka topic names have no '/'.
  const [topic, partition, offset] = position.split('/');
  const named = (name: string): boolean => topic === name || `${prefix}${topic}` === name;
  return (
    (named(entry.origin.topic) && partition === entry.origin.partition && offset === entry.origin.offset) ||
    (named(entry.topic) && `${partition}/${offset}` === entry.id)
  );
}

/** The entries `selector` chooses, in the order of `entries`. */
export function select(entries: DeadLetterEntry[], selector: Selector, prefix: string): DeadLetterEntry[] {
  if ('all' in selector) return entries;
  if ('codes' in selector) return entries.filter((entry) => selector.codes.includes(entry.code));
  return entries.filter((entry) => selector.positions.some((position) => isAt(entry, position, prefix)));
}

/** The original message again, on its original topic with its key, value and own headers, marked as a replay. */
export function replayMessage(entry: DeadLetterEntry, replayedAt: Date): OutgoingMessage {
  const replayNames: string[] = Object.values(replayHeaders);
  const headers = copiedHeaders(entry.message, (name) => name.startsWith('dlq-') || replayNames.includes(name));
  headers[replayHeaders.replayOf] = `${entry.topic}/${entry.id}`;
  headers[replayHeaders.replayedAt] = replayedAt.toISOString();
  return { topic: entry.origin.topic, key: entry.message.key, value: entry.message.value, headers };
}

/** The record in dead_letter_replays that makes the next run skip this dead letter. */
export function replayRecord(replaysTopic: string, entry: DeadLetterEntry, replayedAt: Date): OutgoingMessage {
  const record: ReplayRecord = { replayedAt: replayedAt.toISOString(), originalTopic: entry.origin.topic };
  return { topic: replaysTopic, key: entry.id, value: JSON.stringify(record), headers: {} };
}
