// The actors' transactional producer on a real broker: a send says which named partitions it wrote to and a time
// none of their messages is stamped before, which is how a skipped output partition finds its resume point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transactionalClient } from '../../src/kafka/transactional-client.js';
import { waitFor } from '../helpers.js';
import { createShop } from './shop.js';

test('a committed send names the partitions it was told, and no message there is stamped before its time', async (t) => {
  const shop = await createShop(t);
  const payments = shop.topic('payment_completed');
  const client = transactionalClient(shop.config, shop.log, 'test-send', `${shop.config.topicPrefix}test-send`);
  await client.connect();
  t.after(() => client.disconnect());
  const message = (key: string, partition?: number) => ({
    topic: payments,
    key,
    value: `{"key":"${key}"}`,
    headers: {},
    partition,
  });

  const before = Date.now();
  const transaction = await client.transaction();
  const written = await transaction.send([message('a', 1), message('b', 1), message('c', 4), message('by-key')]);
  await transaction.commit();

  assert.deepEqual(
    written.map(({ topic, partition }) => [topic, partition]),
    [
      [payments, 1],
      [payments, 4],
    ],
    'the named partitions, once each; one placed by its key is left out',
  );
  const since = written[0]!.since;
  assert.ok(since >= before && written.every((partition) => partition.since === since), 'one time for the send');
  // The commit's markers are written after it is answered: read_committed readers see the messages soon after.
  await waitFor(
    'the four messages to be visible',
    async () => (await shop.count('payment_completed')) === 4 || undefined,
  );
  assert.deepEqual(
    shop
      .on('payment_completed')
      .map((recorded) => recorded.key)
      .sort(),
    ['a', 'b', 'by-key', 'c'],
  );
  for (const recorded of shop.on('payment_completed')) {
    assert.ok(Number(recorded.message.timestamp) >= since, `${recorded.key} stamped at or after the send's time`);
  }
});
