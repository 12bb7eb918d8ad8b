// Messages that fail validation go to dead_letter with their bytes untouched and headers saying why,
// and the partition keeps flowing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { createEvent, encodeEvent } from '../../src/contracts/envelope.js';
import { createProducer } from '../../src/kafka/client.js';
import { produce } from '../../src/kafka/produce.js';
import { headerText } from '../../src/contracts/message.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

test('poison messages on order_created are dead-lettered with every header and the next order still ships', async (t) => {
  const shop = await createShop(t);
  const producer = createProducer(shop.config, shop.log, 'poison-writer');
  await producer.connect();
  t.after(() => producer.disconnect());

  const valid = createEvent(
    'webshop.order.created',
    { orderId: 'p-4', amount: 10 },
    { source: 'test', correlationId: 'c' },
  );
  const poison = [
    { key: 'p-1', value: Buffer.from('{not json'), code: 'INVALID_JSON' },
    { key: 'p-2', value: Buffer.from(JSON.stringify({ hello: 'world' })), code: 'INVALID_ENVELOPE' },
    {
      key: 'p-3',
      value: encodeEvent({ ...valid, subject: 'p-3', type: 'webshop.order.cancelled' as 'webshop.order.created' }),
      code: 'UNKNOWN_TYPE',
    },
    { key: 'p-4', value: encodeEvent({ ...valid, data: { orderId: 'p-4', amount: -5 } }), code: 'SCHEMA_VIOLATION' },
  ];
  // Every poison message on the same partition as the next valid order (same key), ahead of it.
  await produce(
    producer,
    poison.map(({ value }) => ({
      topic: shop.topic('order_created'),
      key: 'same-partition',
      value,
      headers: { origin: 'test' },
    })),
  );
  await shop.startActor(paymentActor);
  await shop.startActor(shippingActor);
  const { url } = await shop.startOrderService();
  assert.equal((await postOrder(url, { OrderId: 'same-partition', Amount: 20 })).status, 201);

  await waitFor('the valid order to ship', () =>
    shop.on('order_shipped').some((entry) => entry.key === 'same-partition'),
  );
  await waitFor('four dead letters', () => shop.on('dead_letter').length === 4);
  await shop.drained(paymentActor);
  await shop.count('dead_letter');

  const letters = shop.on('dead_letter');
  assert.deepEqual(
    letters.map((entry) => headerText(entry.message, 'dlq-error-code')),
    poison.map(({ code }) => code),
  );
  letters.forEach((entry, index) => {
    const message = entry.message;
    assert.deepEqual(message.value, poison[index]!.value, 'value bytes untouched');
    assert.equal(entry.key, 'same-partition', 'original key');
    assert.equal(headerText(message, 'origin'), 'test', 'original headers kept');
    assert.equal(headerText(message, 'dlq-original-topic'), shop.topic('order_created'));
    assert.equal(headerText(message, 'dlq-original-offset'), String(index));
    assert.match(headerText(message, 'dlq-original-partition') ?? '', /^\d+$/);
    assert.match(headerText(message, 'dlq-original-timestamp') ?? '', /^\d{13}$/);
    assert.equal(headerText(message, 'dlq-consumer-group'), `${shop.config.topicPrefix}payment`);
    assert.equal(headerText(message, 'dlq-actor'), 'payment');
    assert.ok((headerText(message, 'dlq-error-message') ?? '').length > 0);
    assert.ok(!Number.isNaN(Date.parse(headerText(message, 'dlq-failed-at') ?? '')));
    assert.equal(headerText(message, 'dlq-attempts'), '1');
  });
  assert.equal(shop.on('payment_completed').length, 1, 'only the valid order was paid');
});
