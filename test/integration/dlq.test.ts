// `make dlq` and `make dlq-replay` on the real broker: dead letters written by the payment actor are listed,
// replayed once onto their original topic, and a replay that is still invalid comes back once, not forever.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { paymentActor } from '../../src/actors/payment/handler.js';
import type { Actor } from '../../src/actors/types.js';
import { listDeadLetters, replayDeadLetters } from '../../src/cli/dlq-commands.js';
import { replayLines } from '../../src/cli/dlq-table.js';
import { createEvent, encodeEvent } from '../../src/contracts/envelope.js';
import { createAdmin, createProducer } from '../../src/kafka/client.js';
import { readToEnd } from '../../src/kafka/reader.js';
import { produce } from '../../src/kafka/produce.js';
import { headerText } from '../../src/contracts/message.js';
import { waitFor } from '../helpers.js';
import { createShop, type Recorded, type Shop } from './shop.js';

const origin = { source: 'test', correlationId: 'c' };
const poison = {
  'bad-1': Buffer.from('{not json'),
  'neg-1': encodeEvent({
    ...createEvent('webshop.order.created', { orderId: 'neg-1', amount: 1 }, origin),
    data: { orderId: 'neg-1', amount: -5 },
  }),
  'bad-2': Buffer.from('also not json'),
};

/** Writes poison messages to order_created, runs the payment actor, and waits until all are dead letters. */
async function deadLetters(shop: Shop, keys: (keyof typeof poison)[]): Promise<{ letters: Recorded[]; actor: Actor }> {
  const producer = createProducer(shop.config, shop.log, 'poison-writer');
  await producer.connect();
  const topic = shop.topic('order_created');
  await produce(
    producer,
    keys.map((key) => ({ topic, key, value: poison[key], headers: { origin: 'test' } })),
  );
  await producer.disconnect();
  const actor = await shop.startActor(paymentActor);
  await waitFor(`${keys.length} dead letters`, () => shop.on('dead_letter').length === keys.length);
  return { letters: shop.on('dead_letter'), actor };
}

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
const idOf = (entry: Recorded): string => `${entry.partition}/${entry.message.offset}`;
const ids = (entries: { id: string }[]): string[] => entries.map((entry) => entry.id);
const replaysOn = <T extends { message: Recorded['message'] }>(entries: T[]): T[] =>
  entries.filter(({ message }) => headerText(message, 'replay-of') !== undefined);

async function committedOffset(shop: Shop, partition: number): Promise<bigint> {
  const admin = createAdmin(shop.config, shop.log, 'test-offsets');
  await admin.connect();
  try {
    const groupId = `${shop.config.topicPrefix}payment`;
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [shop.topic('order_created')] });
    return BigInt(offsets?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1');
  } finally {
    await admin.disconnect();
  }
}

test('make dlq lists each dead letter with its origin, error code, key and value, and says when there are none', async (t) => {
  const shop = await createShop(t);
  assert.deepEqual(await listDeadLetters(shop.config, shop.log, {}), ['no dead letters']);
  await deadLetters(shop, ['bad-1', 'neg-1', 'bad-2']);

  const lines = await listDeadLetters(shop.config, shop.log, {});
  assert.equal(lines.length, 5, 'a header, three rows and the counts');
  const originTopic = `${shop.topic('order_created')}/`;
  for (const [key, code, value] of [
    ['bad-1', 'INVALID_JSON', '{not json'],
    ['neg-1', 'SCHEMA_VIOLATION', '{"specversion":"1.0"'],
    ['bad-2', 'INVALID_JSON', 'also not json'],
  ]) {
    const row = lines.find((line) => line.includes(`  ${key}  `)) ?? '';
    assert.ok(row.includes(originTopic) && row.includes(`  ${code}  `), `${key} shows its origin and ${code}: ${row}`);
    assert.ok(row.includes(value) && row.endsWith('  no'), `${key} shows its value and is not replayed: ${row}`);
  }
  assert.equal(lines.at(-1), '3 dead letters (INVALID_JSON 2, SCHEMA_VIOLATION 1), 0 replayed');
  const env = { ...process.env, KAFKA_BROKERS: shop.config.kafkaBrokers, TOPIC_PREFIX: shop.config.topicPrefix };
  const cli = await run(process.execPath, ['--import', 'tsx', 'src/cli/dlq.ts', 'list'], { env, cwd: root });
  assert.deepEqual(cli.stdout.trimEnd().split('\n'), lines, '`make dlq` prints the same');
  const chosen = await listDeadLetters(shop.config, shop.log, { codes: ['SCHEMA_VIOLATION'] });
  assert.equal(chosen.length, 3);
  assert.match(chosen[1]!, / {2}neg-1 {2}/);
});

test('replaying by code re-publishes only those dead letters onto their topic, marked as a replay, and a second run replays nothing', async (t) => {
  const shop = await createShop(t);
  const { letters, actor } = await deadLetters(shop, ['bad-1', 'neg-1', 'bad-2']);
  // Stopped, so the replay stays a replay on order_created instead of becoming a new dead letter.
  await actor.stop();
  const letterId = idOf(letters.find((entry) => entry.key === 'neg-1')!);
  const dryRun = await replayDeadLetters(shop.config, shop.log, {
    selector: { codes: ['INVALID_JSON'] },
    dryRun: true,
  });
  assert.deepEqual(dryRun.replayed.map((entry) => entry.message.key?.toString()).sort(), ['bad-1', 'bad-2']);

  const first = await replayDeadLetters(shop.config, shop.log, { selector: { codes: ['SCHEMA_VIOLATION'] } });
  assert.deepEqual(ids(first.replayed), [letterId]);
  assert.equal(replayLines(first).at(-1), 'replayed 1, skipped 0');
  await waitFor('the replay on order_created', () => replaysOn(shop.on('order_created')).length === 1);
  const [replay] = replaysOn(shop.on('order_created'));
  assert.equal(replay!.key, 'neg-1', 'original key');
  assert.deepEqual(replay!.message.value, poison['neg-1'], 'original value bytes');
  assert.equal(headerText(replay!.message, 'replay-of'), `${shop.topic('dead_letter')}/${letterId}`);
  assert.ok(!Number.isNaN(Date.parse(headerText(replay!.message, 'replayed-at') ?? '')));
  assert.equal(headerText(replay!.message, 'origin'), 'test', 'original headers kept');
  assert.ok(!Object.keys(replay!.message.headers ?? {}).some((name) => name.startsWith('dlq-')), 'no dlq-*');

  const second = await replayDeadLetters(shop.config, shop.log, { selector: { codes: ['SCHEMA_VIOLATION'] } });
  assert.deepEqual(second.replayed, []);
  assert.deepEqual(replayLines(second), [
    `skipped  ${letterId}  SCHEMA_VIOLATION  already replayed at ${second.skipped[0]?.entry.replayed?.replayedAt}`,
    'replayed 0, skipped 1',
  ]);
  const onTopic = await readToEnd(shop.config, shop.log, [shop.topic('order_created')]);
  assert.equal(replaysOn(onTopic).length, 1, 'neither the dry run nor the second run published anything');
  const lines = await listDeadLetters(shop.config, shop.log, {});
  assert.match(lines.find((line) => line.startsWith(`${letterId} `)) ?? '', / {2}yes, \d{4}-\d\d-\d\d /);
  assert.equal(lines.at(-1), '3 dead letters (INVALID_JSON 2, SCHEMA_VIOLATION 1), 1 replayed');
});

test('a replayed message that is still invalid comes back to dead_letter once, keeps its replay-of header, and is replayed again only when asked', async (t) => {
  const shop = await createShop(t);
  const letter = (await deadLetters(shop, ['neg-1'])).letters[0]!;
  const at = `order_created/${headerText(letter.message, 'dlq-original-partition')}/${headerText(letter.message, 'dlq-original-offset')}`;
  const first = await replayDeadLetters(shop.config, shop.log, { selector: { positions: [at] } });
  assert.deepEqual(ids(first.replayed), [idOf(letter)]);

  await waitFor('the replay to be dead-lettered again', () => shop.on('dead_letter').length === 2);
  const again = shop.on('dead_letter')[1]!;
  const [replay] = replaysOn(shop.on('order_created'));
  assert.equal(headerText(again.message, 'replay-of'), `${shop.topic('dead_letter')}/${idOf(letter)}`);
  assert.equal(headerText(again.message, 'dlq-error-code'), 'SCHEMA_VIOLATION');
  assert.equal(headerText(again.message, 'dlq-original-offset'), replay!.message.offset);
  // Nothing loops: once the actor has committed past the replay, dead_letter holds these two and no more.
  await waitFor('the payment group to commit past the replay', async () => {
    return (await committedOffset(shop, replay!.partition)) > BigInt(replay!.message.offset);
  });
  const lines = await listDeadLetters(shop.config, shop.log, {});
  assert.equal(lines.at(-1), '2 dead letters (SCHEMA_VIOLATION 2), 1 replayed');
  assert.match(lines[2]!, new RegExp(`^${idOf(again)} .* no \\(replay of ${idOf(letter)}\\)$`));

  const asked = await replayDeadLetters(shop.config, shop.log, { selector: { codes: ['SCHEMA_VIOLATION'] } });
  assert.deepEqual(ids(asked.replayed), [idOf(again)], 'the replay of a replay, when asked');
  assert.deepEqual(ids(asked.skipped.map(({ entry }) => entry)), [idOf(letter)]);
  await waitFor('the third dead letter', () => shop.on('dead_letter').length === 3);
  const third = shop.on('dead_letter')[2]!;
  assert.equal(headerText(third.message, 'replay-of'), `${shop.topic('dead_letter')}/${idOf(again)}`);
});

test('two replay runs at the same time replay each dead letter once', async (t) => {
  const shop = await createShop(t);
  const { letters, actor } = await deadLetters(shop, ['bad-1', 'bad-2']);
  await actor.stop();
  // The later run fences the earlier one (same transactional id): it fails or finishes first, never both replay.
  const runs = await Promise.allSettled(
    [1, 2].map(() => replayDeadLetters(shop.config, shop.log, { selector: { all: true } })),
  );
  assert.ok(
    runs.some((run) => run.status === 'fulfilled'),
    'one run at least succeeds',
  );
  const replayed = replaysOn(await readToEnd(shop.config, shop.log, [shop.topic('order_created')]));
  const expected = letters.map((entry) => `${shop.topic('dead_letter')}/${idOf(entry)}`).sort();
  assert.deepEqual(replayed.map(({ message }) => headerText(message, 'replay-of')).sort(), expected);
});
