// Unit tests of src/cli/dlq-table.ts: what `make dlq` and `make dlq-replay` print, one row a dead letter and a
// closing line with the counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeadLetterEntry } from '../../src/cli/dlq-letters.js';
import { listLines, replayLines, shorten, table } from '../../src/cli/dlq-table.js';
import type { KafkaMessage } from '../../src/kafka/client.js';

function entry(id: string, code: string, overrides: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    topic: 'dead_letter',
    message: { key: Buffer.from('o-1'), value: Buffer.from('{"amount":\n -5}'), offset: '0' } as KafkaMessage,
    failedAt: new Date('2025-03-04T05:06:07.089Z'),
    origin: { topic: 'order_created', partition: '2', offset: '17' },
    code,
    error: 'data/amount must be >= 0',
    replayOf: undefined,
    replayed: undefined,
    ...overrides,
  };
}

test('an empty dead-letter topic prints "no dead letters"', () => {
  assert.deepEqual(listLines([]), ['no dead letters']);
});

test('each dead letter is one row: id, time, origin, code, error, key, value preview and replay status', () => {
  const lines = listLines([
    entry('0/3', 'INVALID_JSON'),
    entry('1/5', 'SCHEMA_VIOLATION', {
      replayed: { replayedAt: '2025-03-05T01:02:03.000Z', originalTopic: 'order_created' },
    }),
    entry('2/9', 'SCHEMA_VIOLATION', { replayOf: 'dead_letter/1/5' }),
  ]);
  assert.match(lines[0]!, /^DEAD LETTER +FAILED AT \(UTC\) +ORIGIN +CODE +ERROR +KEY +VALUE +REPLAYED$/);
  assert.match(lines[1]!, /^0\/3 +2025-03-04 05:06:07 +order_created\/2\/17 +INVALID_JSON +data\/amount must/);
  assert.match(lines[1]!, / o-1 +\{"amount": -5\} +no$/);
  assert.match(lines[2]!, /yes, 2025-03-05 01:02:03$/);
  assert.match(lines[3]!, /no \(replay of 1\/5\)$/);
  assert.equal(lines[4], '3 dead letters (INVALID_JSON 1, SCHEMA_VIOLATION 2), 1 replayed');
});

test('a limit shows the most recent dead letters and says how many there are', () => {
  const lines = listLines(
    [entry('0/1', 'INVALID_JSON'), entry('0/2', 'INVALID_JSON'), entry('0/3', 'INVALID_JSON')],
    2,
  );
  assert.deepEqual(
    lines.slice(1).map((line) => line.split(' ')[0]),
    ['0/2', '0/3', 'showing', '3'],
  );
  assert.equal(lines[3], 'showing the last 2 of 3');
});

test('a replay report names what was replayed where and what was skipped and why, then the counts', () => {
  const lines = replayLines({
    dryRun: false,
    replayed: [entry('0/3', 'INVALID_JSON')],
    skipped: [{ entry: entry('1/5', 'SCHEMA_VIOLATION'), reason: 'already replayed at 2025-03-05T01:02:03.000Z' }],
  });
  assert.match(lines[0]!, /^replayed +0\/3 +INVALID_JSON +-> order_created +key o-1$/);
  assert.match(lines[1]!, /^skipped +1\/5 +SCHEMA_VIOLATION +already replayed at 2025-03-05T01:02:03.000Z$/);
  assert.equal(lines[2], 'replayed 1, skipped 1');
});

test('a dry run says what it would replay and that nothing was published', () => {
  const lines = replayLines({ dryRun: true, replayed: [entry('0/3', 'INVALID_JSON')], skipped: [] });
  assert.match(lines[0]!, /^would replay +0\/3 /);
  assert.equal(lines[1], 'dry run: would replay 1, skip 0; nothing was published');
  assert.deepEqual(replayLines({ dryRun: false, replayed: [], skipped: [] }), [
    'no dead letters match',
    'replayed 0, skipped 0',
  ]);
});

test('long cells are shortened to one line and columns line up', () => {
  assert.equal(shorten('a\nlong   message', 9), 'a long m…');
  assert.deepEqual(
    table([
      ['a', 'bb', 'c'],
      ['ccc', 'd', 'e'],
    ]),
    ['a    bb  c', 'ccc  d   e'],
  );
});
