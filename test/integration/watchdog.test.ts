// A consumer that silently stops delivering (confluent-kafka-javascript#476) is noticed and replaced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { newGroupClient, type GroupClient, type MemberFactory } from '../../src/kafka/group-consumer.js';
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
