// A consumer that silently stops delivering (confluent-kafka-javascript#476) is noticed and replaced; one at rest
// after an aborted transaction is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { createAdmin } from '../../src/kafka/client.js';
import { newGroupClient, type GroupClient, type MemberFactory } from '../../src/kafka/group-consumer.js';
import { readableEnds } from '../../src/kafka/offsets.js';
import { transactionalClient } from '../../src/kafka/transactional-client.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

/** The real consumers, each kept so the test can stall it behind the runtime's back, as #476 does. */
function stallableConsumers(): { create: MemberFactory; built: GroupClient[] } {
  const built: GroupClient[] = [];
  return {
    built,
    create: (settings) => {
      const consumer = newGroupClient(settings);
      built.push(consumer);
      return consumer;
    },
  };
}

test('an actor whose consumer stalls with orders waiting reports not ready, replaces it and pays them', async (t) => {
  const shop = await createShop(t, { STALL_TIMEOUT_MS: '1500' });
  const { url } = await shop.startOrderService();
  const consumers = stallableConsumers();
  const actor = await shop.startActor(paymentActor, { newConsumer: consumers.create });
  assert.equal((await postOrder(url, { OrderId: 'before-stall', Amount: 10 })).status, 201);
  await waitFor('the first payment', () => shop.on('payment_completed').length === 1);
  await waitFor('the actor to be ready', () => actor.ready());

  const stalled = consumers.built[0]!;
  stalled.pause(stalled.assignments());
  // 12 orders on 6 partitions: at least one partition has two waiting, which the watchdog counts as work
  // (one offset past the committed one can be a transaction marker).
  for (let index = 0; index < 12; index += 1) {
    assert.equal((await postOrder(url, { OrderId: `stalled-${index}`, Amount: 10 })).status, 201);
  }
  let sawNotReady = false;
  await waitFor(
    'the stalled orders to be paid by the replacement consumer',
    () => {
      sawNotReady ||= !actor.ready();
      return shop.on('payment_completed').length === 13;
    },
    30000,
  );
  await shop.drained(paymentActor);
  assert.equal(await shop.count('payment_completed'), 13, 'each order paid once');
  assert.ok(consumers.built.length >= 2, 'the stalled consumer was replaced');
  assert.ok(sawNotReady, 'the actor reported not ready while its consumer was stalled or being replaced');
  await waitFor('the actor to be ready again', () => actor.ready());
});

test('an actor whose input partitions end in an aborted transaction is at rest: its consumer is not replaced', async (t) => {
  const stallTimeoutMs = 1500;
  const shop = await createShop(t, { STALL_TIMEOUT_MS: String(stallTimeoutMs) });
  const { url } = await shop.startOrderService();
  const consumers = stallableConsumers();
  const actor = await shop.startActor(paymentActor, { newConsumer: consumers.create });
  assert.equal((await postOrder(url, { OrderId: 'before-abort', Amount: 10 })).status, 201);
  await waitFor('the first payment', () => shop.on('payment_completed').length === 1);

  // A producer that gave up mid-transaction: three messages on each partition, aborted. The actor's group never
  // commits over them (nothing is handled), so its committed offsets stay four or more behind the readable ends.
  const orders = shop.topic('order_created');
  const client = transactionalClient(shop.config, shop.log, 'test-aborted', `${shop.config.topicPrefix}test-aborted`);
  await client.connect();
  t.after(() => client.disconnect());
  const admin = createAdmin(shop.config, shop.log, 'test-ends');
  await admin.connect();
  t.after(() => admin.disconnect());
  const highs = async (): Promise<Map<number, number>> =>
    new Map((await readableEnds(admin, orders)).map(({ partition, high }) => [partition, Number(high)]));
  const before = await highs();
  const transaction = await client.transaction();
  const partitions = [0, 1, 2, 3, 4, 5];
  await transaction.send(
    partitions.flatMap((partition) =>
      [1, 2, 3].map((n) => ({ topic: orders, partition, key: `aborted-${n}`, value: '{}', headers: {} })),
    ),
  );
  // send() does not wait for delivery, and an abort drops what is not sent yet: wait until the broker holds all
  // eighteen (the high watermark, read_uncommitted; the readable end stays where it was while the transaction is open).
  await waitFor('the aborted messages to be written', async () =>
    (await admin.fetchTopicOffsets(orders)).every(({ partition, high }) => Number(high) === before.get(partition)! + 3),
  );
  await transaction.abort();
  const consumer = consumers.built[0]!;
  await waitFor('the consumer to read past the aborted messages and their marker', async () => {
    const after = await highs();
    return consumer
      .position(partitions.map((partition) => ({ topic: orders, partition })))
      .every(({ partition, offset }) => offset === after.get(partition) && offset === before.get(partition)! + 4);
  });

  // The watchdog checks every quarter of the stall timeout: four stall timeouts give it sixteen looks.
  const watchedUntil = Date.now() + 4 * stallTimeoutMs;
  await waitFor('four stall timeouts to pass', () => Date.now() >= watchedUntil || consumers.built.length > 1, 10000);
  assert.equal(consumers.built.length, 1, 'the consumer was not replaced');
  assert.ok(actor.ready());
  assert.equal((await postOrder(url, { OrderId: 'after-abort', Amount: 10 })).status, 201);
  await waitFor('the next payment', () => shop.on('payment_completed').length === 2);
});
