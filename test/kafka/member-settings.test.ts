// Unit tests of a group member's client settings (memberSettings): what every actor's consumer is, and the held
// fetches an actor asks for with fetchWaitMs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { memberSettings } from '../../src/kafka/client.js';

const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092' });

test('a member reads committed data only, commits nothing by itself, and is answered as soon as data is there', () => {
  const settings = memberSettings(config, 'payment-1', { groupId: 'webshop.payment' });
  assert.equal(settings['isolation.level'], 'read_committed');
  assert.equal(settings['enable.auto.commit'], false);
  assert.equal(settings['fetch.wait.max.ms'], 100);
  assert.equal(settings['fetch.min.bytes'], undefined, "librdkafka's default: 1 byte");
});

test('with fetchWaitMs the broker holds each fetch that long, asked for more than it will have (1 MiB)', () => {
  const settings = memberSettings(config, 'status-1', { groupId: 'webshop.status', fetchWaitMs: 250 });
  assert.equal(settings['fetch.wait.max.ms'], 250);
  assert.equal(settings['fetch.min.bytes'], 1048576);
  const unheld = memberSettings(config, 'status-1', { groupId: 'webshop.status', fetchWaitMs: 0 });
  assert.equal(unheld['fetch.min.bytes'], undefined);
  assert.equal(unheld['fetch.wait.max.ms'], 100);
});
