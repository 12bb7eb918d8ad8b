// Unit tests of src/logger.ts: the service name on every line, the JSON and readable formats, and the
// Kafka client adapter's own level filtering.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import winston from 'winston';
import { createLogger, eventLogger, kafkaLogger } from '../src/logger.js';
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

test("eventLogger writes the event's fields and the service on each line, and nothing below LOG_LEVEL", async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'json' }, 'payment');
  const lines = captureLines(log);
  const events = eventLogger(log, { orderId: 'o-4', topic: 'order_created', partition: 2 });
  events.debug('not shown');
  events.info('payment completed', { amount: 50, topic: 'its own' });
  events.error('payment failure alert');
  await waitFor('two lines', () => lines.length >= 2);
  const [completed, alert] = lines.map((line) => JSON.parse(line) as Entry);
  assert.deepEqual(
    [completed.level, completed.message, completed.service, completed.orderId, completed.partition, completed.amount],
    ['info', 'payment completed', 'payment', 'o-4', 2, 50],
  );
  assert.equal(completed.topic, 'its own', "a line's own field wins over the event's");
  assert.deepEqual(
    [alert.level, alert.message, alert.orderId, alert.topic],
    ['error', 'payment failure alert', 'o-4', 'order_created'],
  );
  assert.equal(lines.length, 2);
});

test('createLogger drops lines below LOG_LEVEL', async () => {
  const log = createLogger({ logLevel: 'warn', logFormat: 'json' }, 'order');
  const lines = captureLines(log);
  log.info('not shown');
  log.debug('not shown either');
  log.log('info', 'nor by its level name');
  const child = log.child({ orderId: 'o-3' });
  assert.equal(child.info('nor from a child'), child, 'a skipped line still returns its logger');
  child.warn('shown');
  log.error('also shown');
  await waitFor('the warning and the error', () => lines.length >= 2);
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as Entry).message),
    ['shown', 'also shown'],
  );
});

test('createLogger at debug writes info and debug lines', async () => {
  const log = createLogger({ logLevel: 'debug', logFormat: 'json' }, 'order');
  const lines = captureLines(log);
  log.child({ orderId: 'o-4' }).debug('a debug line');
  log.info('an info line');
  await waitFor('both lines', () => lines.length >= 2);
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as Entry).message),
    ['a debug line', 'an info line'],
  );
});

test('createLogger in pretty format writes a readable line: time, level, [service], message, key=value fields', async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'pretty' }, 'notification');
  const lines = captureLines(log);
  log.info('payment failure alert', {
    topic: 'payment_failed',
    orderId: 'o-1',
    amount: 350,
    reason: 'insufficient funds',
    partitions: [0, 3],
  });
  await waitFor('one line', () => lines.length === 1);
  assert.match(
    lines[0],
    /^\d\d:\d\d:\d\d\.\d{3} info \[notification\] payment failure alert orderId=o-1 amount=350 reason="insufficient funds" partitions=\[0,3\] topic=payment_failed$/,
  );
});

/** Makes process.stdout look like a terminal or not for one test. */
function stdoutIsTerminal(t: TestContext, isTTY: boolean): void {
  const before = process.stdout.isTTY;
  process.stdout.isTTY = isTTY;
  t.after(() => {
    process.stdout.isTTY = before;
  });
}

test('createLogger in pretty format colors the level on a terminal only', async (t) => {
  stdoutIsTerminal(t, true);
  const terminal = createLogger({ logLevel: 'info', logFormat: 'pretty' }, 'payment');
  const colored = captureLines(terminal);
  terminal.warn('payment gateway retry');
  await waitFor('the colored line', () => colored.length === 1);
  assert.match(colored[0], /\u001b\[/);
  stdoutIsTerminal(t, false);
  const log = createLogger({ logLevel: 'info', logFormat: 'pretty' }, 'payment');
  const lines = captureLines(log);
  log.warn('payment gateway retry');
  await waitFor('the plain line', () => lines.length === 1);
  assert.doesNotMatch(lines[0], /\u001b\[/);
  assert.match(lines[0], / warn \[payment\] payment gateway retry$/);
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

test("kafkaLogger keeps the logger's own time instead of the client's numeric timestamp", async () => {
  const log = createLogger({ logLevel: 'info', logFormat: 'json' }, 'payment');
  const lines = captureLines(log);
  kafkaLogger(log).warn('broker transport failure', {
    fac: 'FAIL',
    timestamp: 1764633600000,
    name: 'rdkafka#producer-1',
  });
  await waitFor('one line', () => lines.length === 1);
  const line = JSON.parse(lines[0]) as Entry;
  assert.equal(typeof line.timestamp, 'string');
  assert.ok(!Number.isNaN(Date.parse(String(line.timestamp))), `an ISO time, got ${String(line.timestamp)}`);
  assert.equal(line.fac, 'FAIL');
});

test('kafkaLogger writes a warning the client retries by itself as an info line, not a warning', async () => {
  const { log, entries } = recordingLogger('info');
  kafkaLogger(log).warn(
    'Failed to acquire transactional PID from broker TxnCoordinator/1: Broker: Not coordinator: retrying',
  );
  await waitFor('one entry', () => entries.length === 1);
  assert.equal(entries[0].level, 'info');
  assert.equal(entries[0].message, 'kafka client log');
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
