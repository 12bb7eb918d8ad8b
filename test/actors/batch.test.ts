// Unit tests of one batch with no broker: a fake transaction records what processBatch commits, a fake
// ledger remembers orders, and a handler the test controls pays, fails or throws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processBatch, type BatchDeps, type BatchOutcome, type BatchPayload } from '../../src/actors/batch.js';
import type { HandledRange } from '../../src/actors/group-commit.js';
import { createRetryPolicy } from '../../src/actors/retry-policy.js';
import type { ActorDefinition } from '../../src/actors/types.js';
import { createEvent, encodeEvent } from '../../src/contracts/envelope.js';
import { WebshopError } from '../../src/errors.js';
import type { OutgoingMessage } from '../../src/contracts/message.js';
import type { KafkaMessage } from '../../src/kafka/client.js';
import { letGo } from '../let-go.js';
import { handlerContext, now } from './handler-context.js';

type Handle = ActorDefinition<'webshop.order.created'>['handle'];

const pay: Handle = (event) => [
  {
    type: 'webshop.payment.completed',
    data: { orderId: event.data.orderId, amount: event.data.amount, paymentId: 'pay-1' },
  },
];
const gatewayDown = () => new WebshopError('PAYMENT_GATEWAY_UNAVAILABLE', 'no answer', { retriable: true });

const order = (orderId: string, offset: number): KafkaMessage =>
  ({
    key: Buffer.from(orderId),
    value: encodeEvent(
      createEvent('webshop.order.created', { orderId, amount: 10 }, { source: 'test', correlationId: `c-${orderId}` }),
    ),
    offset: String(offset),
    timestamp: '1700000000000',
    headers: {},
  }) as unknown as KafkaMessage;

const poison = (offset: number): KafkaMessage =>
  ({
    key: null,
    value: Buffer.from('{not json'),
    offset: String(offset),
    timestamp: '0',
    headers: {},
  }) as unknown as KafkaMessage;

/** processBatch's dependencies with fakes; `transactions` holds what each call of `transact` was given. */
function fakes(handle: Handle, options: { done?: string[]; failTransaction?: boolean; stopping?: () => boolean } = {}) {
  const context = handlerContext('id-1', { env: { TOPIC_PREFIX: 't.', RETRY_ATTEMPTS: '3', RETRY_BASE_MS: '100' } });
  const orders = new Set(options.done);
  const transactions: { messages: OutgoingMessage[]; consumed: HandledRange }[] = [];
  const kept: [string, unknown][] = [];
  const deps: BatchDeps<'webshop.order.created'> = {
    definition: {
      name: 'payment',
      groupId: 'payment',
      inputs: ['order_created'],
      accepts: ['webshop.order.created'],
      emits: ['webshop.payment.completed'],
      handle,
    },
    config: context.config,
    log: context.log,
    context,
    deadLetterTopic: 't.dead_letter',
    groupId: 't.payment',
    ledger: {
      has: (orderId) => orders.has(orderId),
      latest: () => undefined,
      hold: (ids, outputs) => ({
        settle(committed) {
          if (!committed) return;
          for (const id of ids) orders.add(id);
          kept.push(...outputs);
        },
      }),
    },
    retries: createRetryPolicy(context.config),
    isStopping: options.stopping ?? (() => false),
    transact: async (messages, consumed) => {
      if (options.failTransaction) throw new WebshopError('KAFKA_UNAVAILABLE', 'broker away', { retriable: true });
      transactions.push({ messages, consumed });
    },
  };
  return { deps, transactions, orders, kept };
}

/** processBatch, then its transaction: the outcome once committed; rejects when the transaction failed. */
async function processed(deps: BatchDeps<'webshop.order.created'>, batch: BatchPayload): Promise<BatchOutcome> {
  const { outcome, committed } = processBatch(deps, batch);
  await committed;
  return outcome;
}

function payload(messages: KafkaMessage[]): BatchPayload & { resolved: string[] } {
  const resolved: string[] = [];
  return {
    batch: { topic: 't.order_created', partition: 3, messages },
    resolveOffset: (offset) => resolved.push(offset),
    isRunning: () => true,
    isStale: () => false,
    resolved,
  };
}

const summary = (messages: OutgoingMessage[]) =>
  messages.map(({ topic, key, headers }) => [topic, key, headers['dlq-error-code'] ?? null]);

test("a handler's log lines carry the event's order, type, correlation id and where it was read", async () => {
  const { deps } = fakes((event, { log }) => {
    log.info('payment completed', { amount: event.data.amount });
    return pay(event, handlerContext('id-1'));
  });
  const logs = (deps.context as ReturnType<typeof handlerContext>).logs;
  await processed(deps, payload([order('o-7', 12)]));
  const line = logs.find((entry) => entry.message === 'payment completed');
  assert.ok(line, 'the handler wrote its line');
  assert.deepEqual(
    [line.orderId, line.type, line.correlationId, line.topic, line.partition, line.offset, line.amount],
    ['o-7', 'webshop.order.created', 'c-o-7', 't.order_created', 3, '12', 10],
  );
});

test('a batch commits every output and its last offset in one transaction, then resolves it and records its orders', async () => {
  const { deps, transactions, orders } = fakes(pay);
  const batch = payload([order('o-1', 5), order('o-2', 6)]);
  assert.deepEqual(await processed(deps, batch), { kind: 'done' });
  assert.equal(transactions.length, 1);
  assert.deepEqual(summary(transactions[0]!.messages), [
    ['t.payment_completed', 'o-1', null],
    ['t.payment_completed', 'o-2', null],
  ]);
  const event = JSON.parse(String(transactions[0]!.messages[0]!.value));
  assert.equal(event.source, 'webshop/payment');
  assert.equal(event.correlationid, 'c-o-1', "the input event's correlation id carries on");
  assert.deepEqual(transactions[0]!.consumed, {
    topic: 't.order_created',
    partition: 3,
    firstOffset: '5',
    offset: '6',
  });
  assert.deepEqual(batch.resolved, ['6']);
  assert.deepEqual([...orders].sort(), ['o-1', 'o-2']);
});

test('an invalid message is dead-lettered in the same transaction and the batch goes on', async () => {
  const { deps, transactions } = fakes(pay);
  await processed(deps, payload([poison(0), order('o-1', 1)]));
  assert.deepEqual(summary(transactions[0]!.messages), [
    ['t.dead_letter', null, 'INVALID_JSON'],
    ['t.payment_completed', 'o-1', null],
  ]);
  assert.equal(transactions[0]!.messages[0]!.headers['dlq-consumer-group'], 't.payment');
});

test('an order the ledger knows, or one done earlier in the same batch, is skipped but its offset committed', async () => {
  const { deps, transactions } = fakes(pay, { done: ['o-1'] });
  const batch = payload([order('o-1', 0), order('o-2', 1), order('o-2', 2)]);
  await processed(deps, batch);
  assert.deepEqual(summary(transactions[0]!.messages), [['t.payment_completed', 'o-2', null]]);
  assert.equal(transactions[0]!.consumed.offset, '2');
});

test('a retriable failure commits what came before and asks for a retry of that message after the backoff', async () => {
  const { deps, transactions } = fakes((event, context) => {
    if (event.data.orderId === 'o-2') throw gatewayDown();
    return pay(event, context);
  });
  const batch = payload([order('o-1', 7), order('o-2', 8), order('o-3', 9)]);
  assert.deepEqual(await processed(deps, batch), { kind: 'retry', offset: '8', delayMs: 100 });
  assert.deepEqual(summary(transactions[0]!.messages), [['t.payment_completed', 'o-1', null]]);
  assert.deepEqual(batch.resolved, ['7'], 'the failed message and those after it stay unresolved');
});

test('a message that fails its last attempt is dead-lettered as PROCESSING_FAILED with the number of attempts', async () => {
  const { deps, transactions } = fakes(() => {
    throw gatewayDown();
  });
  const outcomes = [];
  for (let attempt = 1; attempt <= 3; attempt += 1)
    outcomes.push((await processed(deps, payload([order('o-1', 4)]))).kind);
  assert.deepEqual(outcomes, ['retry', 'retry', 'done']);
  assert.equal(transactions.length, 1, 'nothing was committed before the dead letter');
  const [letter] = transactions[0]!.messages;
  assert.equal(letter!.headers['dlq-error-code'], 'PROCESSING_FAILED');
  assert.equal(letter!.headers['dlq-attempts'], '3');
  assert.match(String(letter!.headers['dlq-error-message']), /^PAYMENT_GATEWAY_UNAVAILABLE: no answer$/);
});

test('a message that fails while the actor stops is left uncommitted for the next owner, not dead-lettered', async () => {
  let stopping = false;
  const { deps, transactions } = fakes(
    (event, context) => {
      if (event.data.orderId === 'o-2') {
        stopping = true;
        throw gatewayDown();
      }
      return pay(event, context);
    },
    { stopping: () => stopping },
  );
  const batch = payload([order('o-1', 0), order('o-2', 1)]);
  assert.deepEqual(await processed(deps, batch), { kind: 'left', offset: '1' });
  assert.deepEqual(summary(transactions[0]!.messages), [['t.payment_completed', 'o-1', null]]);
  assert.deepEqual(batch.resolved, ['0']);
});

test('a stopping actor takes no message of a new batch and commits nothing', async () => {
  const { deps, transactions } = fakes(pay, { stopping: () => true });
  assert.deepEqual(await processed(deps, payload([order('o-1', 0)])), { kind: 'done' });
  assert.equal(transactions.length, 0);
});

test('the batch is resolved as soon as it is handled, and a failed transaction records no order', async () => {
  const { deps, orders } = fakes(pay, { failTransaction: true });
  const batch = payload([order('o-1', 0)]);
  const { committed } = processBatch(deps, batch);
  assert.deepEqual(batch.resolved, ['0'], 'the next batch is read while this one commits');
  await assert.rejects(committed!, /broker away/);
  assert.equal(orders.size, 0);
});

test('a batch with nothing handled has no transaction', () => {
  const { deps, transactions } = fakes(() => {
    throw gatewayDown();
  });
  const { outcome, committed } = processBatch(deps, payload([order('o-1', 4)]));
  assert.deepEqual([outcome.kind, committed, transactions.length], ['retry', undefined, 0]);
});

test('the outcome of each event is recorded once its transaction committed, and none when it failed', async () => {
  const outcomes: string[] = [];
  const codes: string[] = [];
  const metrics = {
    processed: (outcome: string) => outcomes.push(outcome),
    deadLettered: (code: string) => codes.push(code),
    eventAge: () => undefined,
  };
  const failing = fakes(pay, { failTransaction: true });
  await assert.rejects(processed({ ...failing.deps, metrics }, payload([order('a', 0)])));
  assert.deepEqual(outcomes, []);
  const { deps } = fakes(pay, { done: ['b'] });
  await processed({ ...deps, metrics }, payload([order('a', 0), order('b', 1), poison(2)]));
  assert.deepEqual(outcomes, ['completed', 'duplicate_skipped', 'dead_lettered']);
  assert.deepEqual(codes, ['INVALID_JSON']);
});

test('a fold gets the order’s latest output, from earlier in the batch or else the ledger, and its outputs are kept', async () => {
  const { deps, transactions, kept } = fakes(pay, { done: ['o-1'] });
  const seenPrevious: unknown[] = [];
  const fold: Handle = (event, context) => {
    seenPrevious.push(context.previous);
    const previous = context.previous as { paymentId: string } | undefined;
    const count = previous === undefined ? 1 : Number(previous.paymentId) + 1;
    return [
      {
        type: 'webshop.payment.completed',
        data: { orderId: event.data.orderId, amount: 10, paymentId: String(count) },
      },
    ];
  };
  const ledgerOutput = { orderId: 'o-1', amount: 10, paymentId: '5' };
  const folding = {
    ...deps,
    definition: { ...deps.definition, idempotency: 'fold' as const, handle: fold },
    ledger: {
      ...deps.ledger,
      latest: (orderId: string) => (orderId === 'o-1' ? ledgerOutput : undefined),
    },
  };
  await processed(folding, payload([order('o-1', 0), order('o-1', 1), order('o-2', 2)]));
  assert.deepEqual(seenPrevious, [ledgerOutput, { ...ledgerOutput, paymentId: '6' }, undefined], 'no order-level skip');
  assert.equal(transactions[0]!.messages.length, 3);
  assert.deepEqual(kept, [
    ['o-1', { orderId: 'o-1', amount: 10, paymentId: '7' }],
    ['o-2', { orderId: 'o-2', amount: 10, paymentId: '1' }],
  ]);
});

test("outputs carry the order's creation time, and the age is measured from it, not from the input event's time", async () => {
  const created = '2025-03-04T05:06:00.000Z';
  const message = order('a', 0);
  const input = JSON.parse(String(message.value)) as Record<string, unknown>;
  // A later event of the order: produced at 05:06:05, for an order created at 05:06:00.
  message.value = Buffer.from(JSON.stringify({ ...input, time: '2025-03-04T05:06:05.000Z', ordertime: created }));
  const ages: number[] = [];
  const metrics = { processed: () => undefined, deadLettered: () => undefined, eventAge: (s: number) => ages.push(s) };
  const { deps, transactions } = fakes(pay);
  await processed({ ...deps, metrics }, payload([message]));
  assert.deepEqual(ages, [(now.getTime() - Date.parse(created)) / 1000]);
  const output = JSON.parse(String(transactions[0]!.messages[0]!.value)) as { time: string; ordertime: string };
  assert.deepEqual({ time: output.time, ordertime: output.ordertime }, { time: now.toISOString(), ordertime: created });
});

test("an input event without ordertime (a foreign producer's) counts from its own time and passes that on", async () => {
  const message = order('b', 0);
  const input = JSON.parse(String(message.value)) as Record<string, unknown>;
  delete input.ordertime;
  message.value = Buffer.from(JSON.stringify({ ...input, time: '2025-03-04T05:06:06.089Z' }));
  const ages: number[] = [];
  const metrics = { processed: () => undefined, deadLettered: () => undefined, eventAge: (s: number) => ages.push(s) };
  const { deps, transactions } = fakes(pay);
  await processed({ ...deps, metrics }, payload([message]));
  assert.deepEqual(ages, [1]);
  const output = JSON.parse(String(transactions[0]!.messages[0]!.value)) as { ordertime: string };
  assert.equal(output.ordertime, '2025-03-04T05:06:06.089Z');
});

test('without tracing, a handled message is let go while its transaction commits', async () => {
  const { deps } = fakes(pay);
  let commit = (): void => undefined;
  const pending = new Promise<void>((resolve) => (commit = resolve));
  const handled = ((): { weak: WeakRef<KafkaMessage>; committed?: Promise<void> } => {
    const message = order('o-1', 5);
    const { committed } = processBatch({ ...deps, transact: () => pending }, payload([message]));
    return { weak: new WeakRef(message), committed };
  })();
  assert.ok(await letGo(handled.weak), 'nothing of the batch holds the message while the transaction commits');
  commit();
  await handled.committed;
});
