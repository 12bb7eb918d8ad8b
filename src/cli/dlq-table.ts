// How `make dlq` and `make dlq-replay` print: one row a dead letter, short enough to read at a glance, and a
// closing line with the counts.
import { preview } from './describe-event.js';
import type { DeadLetterEntry } from './dlq-letters.js';

export interface ReplayReport {
  dryRun: boolean;
  replayed: DeadLetterEntry[];
  skipped: { entry: DeadLetterEntry; reason: string }[];
}

/** Text on one line, at most `length` characters. */
export function shorten(text: string, length: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const time = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');

function replayedCell(entry: DeadLetterEntry): string {
  const replayed = entry.replayed ? `yes, ${entry.replayed.replayedAt.slice(0, 19).replace('T', ' ')}` : 'no';
  // A dead letter of a replayed message names the dead letter it was replayed from (`<partition>/<offset>`).
  const from = entry.replayOf?.split('/').slice(-2).join('/');
  return from === undefined ? replayed : `${replayed} (replay of ${from})`;
}

function countsByCode(entries: DeadLetterEntry[]): string {
  const counts = new Map<string, number>();
  for (const { code } of entries) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
}

/**
 * The lines of `make dlq`: a table of the last `limit` entries (all without a limit), then the counts.
 * @example for (const line of listLines(entries)) console.log(line);
 */
export function listLines(entries: DeadLetterEntry[], limit?: number): string[] {
  if (entries.length === 0) return ['no dead letters'];
  const shown = limit === undefined ? entries : entries.slice(-limit);
  const rows = shown.map((entry) => [
    entry.id,
    time(entry.failedAt),
    `${entry.origin.topic}/${entry.origin.partition}/${entry.origin.offset}`,
    entry.code,
    shorten(entry.error, 48),
    shorten(entry.message.key?.toString('utf8') ?? '(null)', 24),
    preview(entry.message.value, 40),
    replayedCell(entry),
  ]);
  const header = ['DEAD LETTER', 'FAILED AT (UTC)', 'ORIGIN', 'CODE', 'ERROR', 'KEY', 'VALUE', 'REPLAYED'];
  const replayed = entries.filter((entry) => entry.replayed).length;
  const noun = entries.length === 1 ? 'dead letter' : 'dead letters';
  return [
    ...table([header, ...rows]),
    ...(shown.length < entries.length ? [`showing the last ${shown.length} of ${entries.length}`] : []),
    `${entries.length} ${noun} (${countsByCode(entries)}), ${replayed} replayed`,
  ];
}

/** The lines of `make dlq-replay`: what was replayed where, what was skipped and why, and the counts. */
export function replayLines(report: ReplayReport): string[] {
  const verb = report.dryRun ? 'would replay' : 'replayed';
  const rows = [
    ...report.replayed.map((entry) => [
      verb,
      entry.id,
      entry.code,
      `-> ${entry.origin.topic}`,
      `key ${shorten(entry.message.key?.toString('utf8') ?? '(null)', 24)}`,
    ]),
    ...report.skipped.map(({ entry, reason }) => ['skipped', entry.id, entry.code, reason, '']),
  ];
  const total = report.replayed.length + report.skipped.length;
  const counts = `${verb} ${report.replayed.length}, ${report.dryRun ? 'skip' : 'skipped'} ${report.skipped.length}`;
  return [
    ...(total === 0 ? ['no dead letters match'] : table(rows)),
    report.dryRun ? `dry run: ${counts}; nothing was published` : counts,
  ];
}
