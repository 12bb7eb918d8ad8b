// Unit tests of src/kafka/statistics.ts: the consumer lag read from librdkafka's statistics document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumerLag } from '../../src/kafka/statistics.js';

const statistics = (partitions: Record<string, unknown>): string =>
  JSON.stringify({ name: 'payment-1#consumer-2', type: 'consumer', topics: { order_created: { partitions } } });

test('the lag of each assigned partition comes from the offset stored after the last commit', () => {
  const json = statistics({
    '1': { partition: 1, desired: true, consumer_lag: 40, consumer_lag_stored: 2 },
    '0': { partition: 0, desired: true, consumer_lag: 7, consumer_lag_stored: 0 },
  });
  assert.deepEqual(consumerLag(json), [
    { topic: 'order_created', partition: 0, lag: 0 },
    { topic: 'order_created', partition: 1, lag: 2 },
  ]);
});

test('the committed offset stands in for a partition with nothing stored yet', () => {
  const json = statistics({ '3': { partition: 3, desired: true, consumer_lag: 12, consumer_lag_stored: -1 } });
  assert.deepEqual(consumerLag(json), [{ topic: 'order_created', partition: 3, lag: 12 }]);
});

test("partitions not assigned, with no known lag, or librdkafka's internal -1 are left out", () => {
  const json = statistics({
    '-1': { partition: -1, desired: false, consumer_lag: -1, consumer_lag_stored: -1 },
    '0': { partition: 0, desired: false, consumer_lag: 5, consumer_lag_stored: 5 },
    '1': { partition: 1, desired: true, consumer_lag: -1, consumer_lag_stored: -1 },
  });
  assert.deepEqual(consumerLag(json), []);
});

test('a document that is not JSON gives no lag rather than an error', () => {
  assert.deepEqual(consumerLag('{not json'), []);
  assert.deepEqual(consumerLag('{}'), []);
});
