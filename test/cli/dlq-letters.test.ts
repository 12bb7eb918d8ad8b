// Unit tests of src/cli/dlq-letters.ts: dead letters read with their replay status, chosen by code or
// position, and replayed as the original message with a replay marker that survives a second dead-lettering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  deadLetterEntries,
  replayLog,
  replayMessage,
  replayRecord,
  select,
  type DeadLetterEntry,
} from '../../src/cli/dlq-letters.js';
import { deadLetter } from '../../src/contracts/dead-letter.js';
import type { ErrorCode } from '../../src/errors.js';
import type { KafkaMessage } from '../../src/kafka/client.js';
import type { StoredMessage } from '../../src/kafka/reader.js';

const prefix = 'p.';

/** A dead letter as the runtime writes it, read back from `p.dead_letter` at `partition/offset`. */
function stored(partition: number, offset: number, code: ErrorCode, origin = { partition: 2, offset: 17 }) {
  const original = {
    key: Buffer.from(`o-${offset}`),
    value: Buffer.from([0x7b, 0xff, 0x00]),
    timestamp: '1741064767089',
    attributes: 0,
    offset: String(origin.offset),
    headers: { traceparent: Buffer.from('00-abc-def-01'), 'replay-of': Buffer.from('p.dead_letter/0/1') },
  } as KafkaMessage;
  const letter = deadLetter(
    `${prefix}dead_letter`,
    original,
    { topic: `${prefix}order_created`, partition: origin.partition, groupId: 'p.payment', actor: 'payment' },
    { code, message: 'broken', attempts: 1, failedAt: new Date(Date.UTC(2025, 2, 4, 5, 6, offset)) },
  );
  const headers = Object.fromEntries(Object.entries(letter.headers).map(([name, value]) => [name, Buffer.from(value)]));
  const message = { ...original, offset: String(offset), headers } as KafkaMessage;
  return { topic: letter.topic, partition, message } satisfies StoredMessage;
}

function record(key: string, value: string | null): StoredMessage {
  const message = { key: Buffer.from(key), value: value === null ? null : Buffer.from(value), offset: '0' };
  return { topic: `${prefix}dead_letter_replays`, partition: 0, message: message as KafkaMessage };
}

test('dead letters are listed in the order they failed, with their origin, code and replay status', () => {
  const entries = deadLetterEntries(
    [stored(3, 9, 'SCHEMA_VIOLATION'), stored(1, 4, 'INVALID_JSON')],
    replayLog([record('3/9', '{"replayedAt":"2025-03-05T00:00:00.000Z","originalTopic":"p.order_created"}')]),
  );
  assert.deepEqual(
    entries.map(({ id, code, origin, replayed }) => ({ id, code, origin, replayed: replayed?.replayedAt })),
    [
      { id: '1/4', code: 'INVALID_JSON', origin: { topic: 'p.order_created', partition: '2', offset: '17' } },
      {
        id: '3/9',
        code: 'SCHEMA_VIOLATION',
        origin: { topic: 'p.order_created', partition: '2', offset: '17' },
        replayed: '2025-03-05T00:00:00.000Z',
      },
    ].map((expected) => ({ replayed: undefined, ...expected })),
  );
  assert.equal(entries[0]!.failedAt.toISOString(), '2025-03-04T05:06:04.000Z');
  assert.equal(entries[0]!.replayOf, 'p.dead_letter/0/1', 'a dead letter of a replay names where it came from');
});

test('the replay log keeps the last record of a key, and a tombstone forgets the replay', () => {
  const replays = replayLog([
    record('0/1', '{"replayedAt":"a","originalTopic":"t"}'),
    record('0/2', 'not json'),
    record('0/3', '{"replayedAt":"b","originalTopic":"t"}'),
    record('0/3', null),
  ]);
  assert.deepEqual([...replays.keys()], ['0/1', '0/2'], 'an unreadable record still counts as replayed');
  assert.equal(replays.get('0/1')?.replayedAt, 'a');
});

test('a selector chooses all, by code, or by the origin position with or without the topic prefix', () => {
  const entries = deadLetterEntries(
    [stored(0, 1, 'INVALID_JSON', { partition: 2, offset: 17 }), stored(0, 2, 'PROCESSING_FAILED')],
    new Map(),
  );
  const ids = (chosen: DeadLetterEntry[]): string[] => chosen.map((entry) => entry.id);
  assert.deepEqual(ids(select(entries, { all: true }, prefix)), ['0/1', '0/2']);
  assert.deepEqual(ids(select(entries, { codes: ['PROCESSING_FAILED'] }, prefix)), ['0/2']);
  assert.deepEqual(ids(select(entries, { positions: ['order_created/2/17'] }, prefix)), ['0/1', '0/2']);
  assert.deepEqual(ids(select(entries, { positions: ['p.order_created/2/18'] }, prefix)), []);
  assert.deepEqual(ids(select(entries, { positions: ['dead_letter/0/2'] }, prefix)), ['0/2']);
  assert.deepEqual(ids(select(entries, { positions: ['payment_failed/2/17'] }, prefix)), []);
});

test('a replay is the original key, value and own headers on the original topic, marked as a replay', () => {
  const [entry] = deadLetterEntries([stored(4, 8, 'SCHEMA_VIOLATION')], new Map());
  const message = replayMessage(entry!, new Date('2025-03-06T07:08:09.000Z'));
  assert.equal(message.topic, 'p.order_created');
  assert.deepEqual(message.key, Buffer.from('o-8'));
  assert.deepEqual(message.value, Buffer.from([0x7b, 0xff, 0x00]), 'value bytes untouched');
  assert.deepEqual(Object.keys(message.headers).sort(), ['replay-of', 'replayed-at', 'traceparent']);
  assert.equal(
    message.headers['replay-of'],
    'p.dead_letter/4/8',
    'the marker names this dead letter, not an older one',
  );
  assert.equal(message.headers['replayed-at'], '2025-03-06T07:08:09.000Z');
  assert.deepEqual(message.headers.traceparent, Buffer.from('00-abc-def-01'));
});

test('the replay record is keyed by the dead letter position and says when and where it went', () => {
  const [entry] = deadLetterEntries([stored(4, 8, 'SCHEMA_VIOLATION')], new Map());
  const message = replayRecord('p.dead_letter_replays', entry!, new Date('2025-03-06T07:08:09.000Z'));
  assert.equal(message.topic, 'p.dead_letter_replays');
  assert.equal(message.key, '4/8');
  assert.deepEqual(JSON.parse(String(message.value)), {
    replayedAt: '2025-03-06T07:08:09.000Z',
    originalTopic: 'p.order_created',
  });
});
