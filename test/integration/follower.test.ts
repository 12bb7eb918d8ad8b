// A topic follower (the actors' ledgers, the order service's status table, the tests' recorders) whose consumer
// stands still behind the topics' ends replaces it, and reads on from where it stood: nothing twice, nothing left.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkaJavascript, { type ConsumerGlobalConfig, type KafkaConsumer } from '@confluentinc/kafka-javascript';
import { createProducer } from '../../src/kafka/client.js';
import { followTopics, type TopicFollower } from '../../src/kafka/follower.js';
import { produce } from '../../src/kafka/produce.js';
import { recordingLogger } from '../helpers.js';
import { createShop, type Shop } from './shop.js';

/** The follower's real consumers, each kept so the test can stall it behind the follower's back. */
function stallableConsumers(): { create(settings: ConsumerGlobalConfig): KafkaConsumer; built: KafkaConsumer[] } {
  const built: KafkaConsumer[] = [];
  return {
    built,
    create(settings) {
      const consumer = new kafkaJavascript.KafkaConsumer(settings);
      built.push(consumer);
      return consumer;
    },
  };
}

/** Writes `count` messages keyed `name-0`, `name-1`, ... to the shop's payment_completed topic. */
async function write(t: TestContext, shop: Shop, name: string, count: number): Promise<void> {
  const producer = createProducer(shop.config, shop.log, `test-${name}`);
  await producer.connect();
  t.after(() => producer.disconnect());
  const messages = Array.from({ length: count }, (_, index) => ({
    topic: shop.topic('payment_completed'),
    key: `${name}-${index}`,
    value: Buffer.from(`{"n":${index}}`),
    headers: {},
  }));
  await produce(producer, messages);
}

async function follow(
  t: TestContext,
  shop: Shop,
): Promise<{ follower: TopicFollower; read: string[]; built: KafkaConsumer[]; warnings(): string[] }> {
  const consumers = stallableConsumers();
  const { log, entries } = recordingLogger('warn');
  const read: string[] = [];
  const follower = await followTopics(shop.config, log, {
    topics: [shop.topic('payment_completed')],
    onMessage: (_topic, _partition, message) => read.push(message.key!.toString()),
    stuckCheckMs: 300,
    newConsumer: consumers.create,
  });
  t.after(() => follower.close());
  return { follower, read, built: consumers.built, warnings: () => entries.map((entry) => String(entry.message)) };
}

test('a follower whose consumer stands still behind replaces it and passes every message once', async (t) => {
  const shop = await createShop(t);
  const { follower, read, built, warnings } = await follow(t, shop);
  await write(t, shop, 'before', 12);
  await follower.catchUp(20000);
  assert.equal(read.length, 12);

  // Paused, it stops fetching every partition it holds, as a stalled consumer does.
  built[0]!.pause(built[0]!.assignments());
  await write(t, shop, 'after', 30);
  await follower.catchUp(20000);

  assert.ok(built.length >= 2, 'the stalled consumer was replaced');
  assert.ok(warnings().includes('follower stood still behind, replacing its consumer'), 'the replacement is logged');
  const expected = [
    ...Array.from({ length: 12 }, (_, index) => `before-${index}`),
    ...Array.from({ length: 30 }, (_, index) => `after-${index}`),
  ];
  assert.deepEqual([...read].sort(), expected.sort(), 'every message passed once, none twice, none left out');
});

test('a follower at the end of its topics keeps its consumer however long it waits', async (t) => {
  const shop = await createShop(t);
  const { follower, read, built, warnings } = await follow(t, shop);
  await write(t, shop, 'only', 5);
  await follower.catchUp(20000);
  // Not a wait for something to happen: the time in which ten stuck checks find nothing new to read.
  await sleep(3000);
  await write(t, shop, 'later', 3);
  await follower.catchUp(20000);
  assert.equal(read.length, 8);
  assert.equal(built.length, 1, 'no consumer replaced');
  assert.deepEqual(warnings(), []);
});

test('a follower skips the partitions it is told to, waits only for the others, and reads them again from the first message stamped since it is told', async (t) => {
  const shop = await createShop(t);
  const { follower, read, built, warnings } = await follow(t, shop);
  const payments = shop.topic('payment_completed');
  const producer = createProducer(shop.config, shop.log, 'test-skip');
  await producer.connect();
  t.after(() => producer.disconnect());
  // Stamped a minute back but for the messages written since: a resume point is looked up by time.
  const since = Date.now();
  const writeTo = (partition: number, name: string, count: number, stamped = since - 60000) =>
    producer.send({
      topic: payments,
      messages: Array.from({ length: count }, (_, index) => ({
        partition,
        key: `${name}-${index}`,
        value: `{"n":${index}}`,
        timestamp: String(stamped),
      })),
    });
  await writeTo(0, 'before', 3);
  await writeTo(2, 'before-2', 1);
  await follower.catchUp(20000);

  follower.skip([
    { topic: payments, partition: 0 },
    { topic: payments, partition: 2 },
  ]);
  await writeTo(0, 'mine-early', 2);
  await writeTo(0, 'mine', 2, since);
  await writeTo(1, 'other', 2);
  await writeTo(2, 'mine-2', 2);
  await follower.catchUp(20000);
  // Not a wait for something to happen: the time in which five stuck checks find partitions 0 and 2 behind.
  await sleep(1500);
  assert.deepEqual([...read].sort(), ['before-0', 'before-1', 'before-2', 'before-2-0', 'other-0', 'other-1']);
  assert.equal(built.length, 1, 'a skipped partition behind its end is not a consumer standing still');

  follower.skipSince({ topic: payments, partition: 0, since });
  follower.skipSince({ topic: payments, partition: 2, since });
  follower.skipSince({ topic: payments, partition: 3, since });
  follower.resume([
    { topic: payments, partition: 0 },
    { topic: payments, partition: 2 },
  ]);
  await follower.catchUp(20000);
  assert.deepEqual(
    read.filter((key) => key.startsWith('mine')).sort(),
    ['mine-0', 'mine-1', 'mine-2-0', 'mine-2-1'],
    'partition 0 read again from its first message stamped since, no earlier; partition 2, with none that late, from where it was skipped',
  );
  assert.deepEqual(warnings(), []);
});

test('a follower told a time reads each partition from its first message stamped then or later, and an older one from its end', async (t) => {
  const shop = await createShop(t);
  const payments = shop.topic('payment_completed');
  const producer = createProducer(shop.config, shop.log, 'test-since');
  await producer.connect();
  t.after(() => producer.disconnect());
  const since = Date.now() - 3_600_000;
  const writeTo = (partition: number, name: string, stamped: number) =>
    producer.send({
      topic: payments,
      messages: [{ partition, key: name, value: '{}', timestamp: String(stamped) }],
    });
  await writeTo(0, 'old-0', since - 60000);
  await writeTo(0, 'new-0', since);
  await writeTo(1, 'new-1', since + 60000);
  await writeTo(2, 'old-2', since - 1);

  const read: string[] = [];
  const follower = await followTopics(shop.config, shop.log, {
    topics: [payments],
    onMessage: (_topic, _partition, message) => read.push(message.key!.toString()),
    since,
  });
  t.after(() => follower.close());
  await follower.catchUp(20000);
  assert.deepEqual([...read].sort(), ['new-0', 'new-1'], 'nothing stamped before the time; partition 2 is caught up');
  await writeTo(2, 'later-2', since - 60000);
  await follower.catchUp(20000);
  assert.deepEqual(
    [...read].sort(),
    ['later-2', 'new-0', 'new-1'],
    'what comes after the start is read, whatever its stamp',
  );
});
