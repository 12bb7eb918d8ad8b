// Fault scenario 6: 1,000 valid orders with 100 poison messages interleaved, written straight to the three
// actors' input topics: every poison message is in dead_letter once with the right headers and untouched
// bytes, and every valid order reaches its terminal event. The payment gateway also fails 5% of its calls
// (retried with paused partitions), so retries and dead letters happen under the same load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvent, encodeEvent } from '../../src/contracts/envelope.js';
import { headerText } from '../../src/contracts/message.js';
import type { TopicName } from '../../src/contracts/topics.js';
import { createProducer } from '../../src/kafka/client.js';
import { produce } from '../../src/kafka/produce.js';
import { waitFor } from '../helpers.js';
import { createFaultShop } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { startLoad, steadyOrders } from './order-load.js';
import type { ShopRecord } from './shop-record.js';

const validOrders = 1000;
const poisonCount = 100;

interface Poison {
  key: string;
  topic: TopicName;
  actor: 'payment' | 'shipping' | 'notification';
  code: 'INVALID_JSON' | 'INVALID_ENVELOPE' | 'UNKNOWN_TYPE' | 'SCHEMA_VIOLATION';
  value: Buffer;
}

const targets = [
  { topic: 'order_created', actor: 'payment', type: 'webshop.order.created', badData: { amount: -5 } },
  { topic: 'payment_completed', actor: 'shipping', type: 'webshop.payment.completed', badData: { amount: 10 } },
  {
    topic: 'payment_failed',
    actor: 'notification',
    type: 'webshop.payment.failed',
    badData: { amount: 500, reason: 'stolen_card', message: 'no' },
  },
] as const;

/** Poison message `n`: the four kinds of invalid message in turn, spread over the three input topics. */
function poison(n: number): Poison {
  const key = `poison-${n}`;
  const { topic, actor, type, badData } = targets[Math.floor(n / 4) % targets.length]!;
  const envelope = createEvent(
    'webshop.order.created',
    { orderId: key, amount: 10 },
    { source: 'test/poison', correlationId: key },
  );
  const kinds = [
    { code: 'INVALID_JSON', value: Buffer.from(`{"poison": ${n}, not json`) },
    { code: 'INVALID_ENVELOPE', value: Buffer.from(JSON.stringify({ poison: n, hello: 'world' })) },
    { code: 'UNKNOWN_TYPE', value: Buffer.from(JSON.stringify({ ...envelope, type: 'webshop.order.cancelled' })) },
    {
      code: 'SCHEMA_VIOLATION',
      value: encodeEvent({ ...envelope, type, data: { orderId: key, ...badData } } as unknown as typeof envelope),
    },
  ] as const;
  const { code, value } = kinds[n % kinds.length]!;
  return { key, topic, actor, code, value };
}

/** What is wrong with the dead letter of `sent`, if anything. */
function deadLetterProblems(record: ShopRecord, prefix: string, sent: Poison): string[] {
  const letters = record.dead_letter.filter(({ key }) => key === sent.key);
  const originals = record[sent.topic].filter(({ key }) => key === sent.key);
  if (letters.length !== 1 || originals.length !== 1) {
    return [`${sent.key}: ${letters.length} dead letters, ${originals.length} originals`];
  }
  const { message } = letters[0]!;
  const original = originals[0]!;
  const expected: Record<string, string> = {
    'dlq-error-code': sent.code,
    'dlq-original-topic': `${prefix}${sent.topic}`,
    'dlq-original-partition': String(original.partition),
    'dlq-original-offset': String(original.offset),
    'dlq-original-timestamp': original.message.timestamp,
    'dlq-consumer-group': `${prefix}${sent.actor}`,
    'dlq-actor': sent.actor,
    'dlq-attempts': '1',
    poison: sent.key,
  };
  const problems = Object.entries(expected)
    .filter(([name, value]) => headerText(message, name) !== value)
    .map(([name, value]) => `${sent.key}: ${name} is ${headerText(message, name)}, expected ${value}`);
  if (!headerText(message, 'dlq-error-message')) problems.push(`${sent.key}: no dlq-error-message`);
  if (Number.isNaN(Date.parse(headerText(message, 'dlq-failed-at') ?? ''))) problems.push(`${sent.key}: dlq-failed-at`);
  if (!message.value?.equals(sent.value)) problems.push(`${sent.key}: value bytes changed`);
  return problems;
}

test(
  '100 poison messages among 1,000 valid orders are each dead-lettered once with their headers, and every valid order reaches its terminal event',
  { timeout: 300000 },
  async (t) => {
    const shop = await createFaultShop(t, { PAYMENT_FAILURE_RATE: '0.05' });
    const url = await shop.startShop();
    const writer = createProducer(shop.config, shop.log, 'poison-writer');
    await writer.connect();
    t.after(() => writer.disconnect());

    const load = startLoad({ url, shots: steadyOrders('valid', validOrders), ratePerS: 300, concurrency: 32 });
    const sent: Poison[] = [];
    for (let n = 0; n < poisonCount; n += 1) {
      await waitFor(`answer ${n * 10}`, () => load.answers.length >= (n * validOrders) / poisonCount, 60000);
      const next = poison(n);
      await produce(writer, [
        {
          topic: `${shop.config.topicPrefix}${next.topic}`,
          key: next.key,
          value: next.value,
          headers: { poison: next.key },
        },
      ]);
      sent.push(next);
    }
    const summary = await load.done;
    const poisonKeys = new Set(sent.map(({ key }) => key));
    const settled = await shop.settle(load.answers);

    const problems = sent.flatMap((each) => deadLetterProblems(settled.record, shop.config.topicPrefix, each));
    const byActor = Object.fromEntries(
      targets.map(({ actor }) => [
        actor,
        settled.record.dead_letter.filter(({ message }) => headerText(message, 'dlq-actor') === actor).length,
      ]),
    );
    const figures = orderFigures(
      'poison',
      settled.record,
      load.answers,
      {
        load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
        'poison messages written': `${sent.length} (${JSON.stringify(byActor)} dead-lettered per actor)`,
        'dead letters with a header or value problem': problems.length,
        'valid orders dead-lettered': settled.record.dead_letter.filter(({ key }) => !poisonKeys.has(key ?? '')).length,
        'end of load to settled': `${settled.ms} ms`,
        logs: shop.logDir,
      },
      poisonKeys,
    );
    printFigures(figures);
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assert.deepEqual(problems, [], 'every poison message has one correct dead letter');
    assert.equal(figures.accepted, validOrders, 'every valid order was answered 201');
    assertNothingLostOrDoubled(figures, poisonCount);
  },
);
