// Unit tests of src/config.ts: defaults, environment overrides and the start-up error that lists every
// bad setting by its environment variable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configEnv, defaultConfig, loadConfig } from '../src/config.js';
import { WebshopError } from '../src/errors.js';

test('an empty environment gives every default', () => {
  assert.deepEqual(loadConfig({}), defaultConfig);
});

test('the defaults are the documented local ports, broker and payment limit', () => {
  const config = loadConfig({});
  assert.equal(config.kafkaBrokers, '127.0.0.1:9092');
  assert.deepEqual(
    [config.orderPort, config.paymentPort, config.shippingPort, config.notificationPort, config.statusPort],
    [5001, 5002, 5003, 5004, 5005],
  );
  assert.equal(config.orderAckTimeoutMs, 5000);
  assert.equal(config.paymentLimit, 300);
  assert.equal(config.topicPrefix, '');
});

test('environment values override the defaults and numbers arrive as numbers', () => {
  const config = loadConfig({
    KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
    TOPIC_PREFIX: 'test-1.',
    ORDER_PORT: '6001',
    PAYMENT_LIMIT: '250.5',
    ORDER_ACK_TIMEOUT_MS: '200',
    PRODUCER_LINGER_MS: '0',
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
  });
  assert.equal(config.kafkaBrokers, 'kafka-1:9092,kafka-2:9092');
  assert.equal(config.topicPrefix, 'test-1.');
  assert.equal(config.orderPort, 6001);
  assert.equal(config.paymentLimit, 250.5);
  assert.equal(config.orderAckTimeoutMs, 200);
  assert.equal(config.producerLingerMs, 0);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.logFormat, 'json');
  assert.equal(config.paymentPort, defaultConfig.paymentPort);
});

test('surrounding spaces are trimmed and an empty variable means the default', () => {
  const config = loadConfig({ ORDER_PORT: ' 6001 ', PAYMENT_LIMIT: '' });
  assert.equal(config.orderPort, 6001);
  assert.equal(config.paymentLimit, defaultConfig.paymentLimit);
});

test('variables the config does not know are ignored', () => {
  assert.deepEqual(loadConfig({ PATH: '/usr/bin', HOME: '/root' }), defaultConfig);
});

test('every setting has its own environment variable', () => {
  assert.deepEqual(Object.keys(configEnv).sort(), Object.keys(defaultConfig).sort());
  assert.equal(new Set(Object.values(configEnv)).size, Object.keys(configEnv).length);
});

test('a port that is not a number fails start-up with CONFIG_INVALID naming ORDER_PORT', () => {
  assert.throws(
    () => loadConfig({ ORDER_PORT: 'abc' }),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError);
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, /ORDER_PORT/);
      return true;
    },
  );
});

test('out-of-range values fail start-up naming their variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ ORDER_PORT: '70000' }, 'ORDER_PORT'],
    [{ ORDER_PORT: '1.5' }, 'ORDER_PORT'],
    [{ PAYMENT_LIMIT: '-1' }, 'PAYMENT_LIMIT'],
    [{ ORDER_ACK_TIMEOUT_MS: '10' }, 'ORDER_ACK_TIMEOUT_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ KAFKA_BROKERS: 'no-port-here' }, 'KAFKA_BROKERS'],
    [{ TOPIC_PREFIX: 'has space' }, 'TOPIC_PREFIX'],
    [{ ACTOR_CONCURRENCY: '0' }, 'ACTOR_CONCURRENCY'],
  ];
  for (const [env, name] of cases) {
    assert.throws(
      () => loadConfig(env),
      { code: 'CONFIG_INVALID', message: new RegExp(name) },
      `${JSON.stringify(env)} was accepted`,
    );
  }
});

test('several bad values are all listed in one error', () => {
  assert.throws(
    () => loadConfig({ ORDER_PORT: 'abc', PAYMENT_LIMIT: 'lots', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'nope' }),
    (error: unknown) => {
      assert.ok(error instanceof WebshopError);
      assert.equal(error.code, 'CONFIG_INVALID');
      for (const name of ['ORDER_PORT', 'PAYMENT_LIMIT', 'LOG_LEVEL', 'KAFKA_BROKERS']) {
        assert.match(error.message, new RegExp(name));
      }
      return true;
    },
  );
});

test("KAFKA_DEBUG takes librdkafka's debug contexts and names a context it does not know", () => {
  assert.equal(loadConfig({ KAFKA_DEBUG: 'eos,msg' }).kafkaDebug, 'eos,msg');
  assert.equal(loadConfig({}).kafkaDebug, '');
  assert.throws(
    () => loadConfig({ KAFKA_DEBUG: 'eos,transactions' }),
    (error) => error instanceof WebshopError && /^invalid configuration: KAFKA_DEBUG must match/.test(error.message),
  );
});
