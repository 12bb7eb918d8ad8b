// Unit tests of src/logger.ts: the service name on every line, the JSON and readable formats, and the
// Kafka client adapter's own level filtering.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import winston from 'winston';
import { createLogger, kafkaLogger } from '../src/logger.js';
import { recordingLogger, waitFor } from './helpers.js';

type Entry = Record<string, unknown>;

/** Replaces a created logger's console transport with one that collects its formatted lines. */
function captureLines(log: winston.Logger): string[] {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  log.clear();
  log.add(new winston.transports.Stream({ stream }));
  return lines;
}

test('createLogger in json format writes JSON lines that name the service', async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'json' }, 'payment');
  const lines = captureLines(log);
  log.info('order shipped', { orderId: 'o-1', shipmentId: 's-1' });
  await waitFor('one line', () => lines.length === 1);
  const line = JSON.parse(lines[0]) as Entry;
  assert.equal(line.service, 'payment');
  assert.equal(line.level, 'info');
  assert.equal(line.message, 'order shipped');
  assert.equal(line.orderId, 'o-1');
  assert.equal(line.shipmentId, 's-1');
  assert.equal(typeof line.timestamp, 'string');
});

test('a child logger of createLogger still names the service on every line', async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'json' }, 'shipping');
  const lines = captureLines(log);
  log.child({ orderId: 'o-2', correlationId: 'req-2' }).warn('payment failure alert');
  await waitFor('one line', () => lines.length === 1);
  const line = JSON.parse(lines[0]) as Entry;
  assert.equal(line.service, 'shipping');
  assert.equal(line.orderId, 'o-2');
  assert.equal(line.correlationId, 'req-2');
});

test('createLogger drops lines below LOG_LEVEL', async () => {
  const log = createLogger({ logLevel: 'warn', logFormat: 'json' }, 'order');
  const lines = captureLines(log);
  log.info('not shown');
  log.debug('not shown either');
  log.warn('shown');
  await waitFor('the warning', () => lines.length > 0);
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as Entry).message),
    ['shown'],
  );
});

test('createLogger in pretty format writes a readable line with the service in brackets', async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'pretty' }, 'notification');
  const lines = captureLines(log);
  log.info('actor started', { groupId: 'notification' });
  await waitFor('one line', () => lines.length === 1);
  assert.match(lines[0], /\[notification\] actor started \{"groupId":"notification"\}$/);
  assert.throws(() => JSON.parse(lines[0]) as unknown);
});

test('kafkaLogger passes the client warnings and errors through with the text in metadata', async () => {
  const { log, entries } = recordingLogger('info');
  const client = kafkaLogger(log);
  client.warn('broker transport failure', { broker: '127.0.0.1:9092' });
  client.error('all brokers down');
  await waitFor('two entries', () => entries.length === 2);
  assert.deepEqual(
    entries.map(({ level, message, detail, component }) => ({ level, message, detail, component })),
    [
      { level: 'warn', message: 'kafka client log', detail: 'broker transport failure', component: 'kafka' },
      { level: 'error', message: 'kafka client log', detail: 'all brokers down', component: 'kafka' },
    ],
  );
  assert.equal(entries[0].broker, '127.0.0.1:9092');
});

test('kafkaLogger drops the client debug and info lines when the level is info', async () => {
  const { log, entries } = recordingLogger('info');
  const client = kafkaLogger(log);
  client.debug('fetch request');
  client.info('consumer joined group');
  client.setLogLevel(4);
  client.debug('still dropped after setLogLevel');
  client.error('the last line');
  await waitFor('the error line', () => entries.some((entry) => entry.detail === 'the last line'));
  assert.deepEqual(
    entries.map((entry) => entry.detail),
    ['the last line'],
  );
});

test('kafkaLogger shows the client info lines as debug when the level is debug', async () => {
  const { log, entries } = recordingLogger('debug');
  kafkaLogger(log).info('consumer joined group');
  await waitFor('one entry', () => entries.length === 1);
  assert.equal(entries[0].level, 'debug');
  assert.equal(entries[0].detail, 'consumer joined group');
});

test('kafkaLogger drops warnings when the level is error', async () => {
  const { log, entries } = recordingLogger('error');
  const client = kafkaLogger(log);
  client.warn('a warning');
  client.error('an error');
  await waitFor('the error line', () => entries.length > 0);
  assert.deepEqual(
    entries.map((entry) => entry.detail),
    ['an error'],
  );
});

test('kafkaLogger namespace() returns a working logger that names its component', async () => {
  const { log, entries } = recordingLogger('info');
  const consumerLog = kafkaLogger(log).namespace('consumer');
  consumerLog.debug('dropped');
  consumerLog.warn('rebalance in progress');
  consumerLog.namespace('fetch').error('fetch failed');
  await waitFor('two entries', () => entries.length === 2);
  assert.deepEqual(
    entries.map(({ component, detail }) => ({ component, detail })),
    [
      { component: 'kafka.consumer', detail: 'rebalance in progress' },
      { component: 'kafka.consumer.fetch', detail: 'fetch failed' },
    ],
  );
});
