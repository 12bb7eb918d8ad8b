// Unit tests of the repair of the client's error conversion: librdkafka's COORDINATOR_NOT_AVAILABLE, as the client's
// own callbacks convert it (the conversion of lib/kafkajs/_common.js, fed a real LibrdKafkaError), must become a
// rejection the runtime handles, not a TypeError thrown in a callback that kills the process and settles nothing.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import '../../src/kafka/client.js';
import { repairClientErrors } from '../../src/kafka/client-repair.js';
import { nextStep } from '../../src/kafka/producer-failure.js';
import { transactionally } from '../../src/kafka/transaction.js';

const require = createRequire(import.meta.url);
const { createKafkaJsErrorFromLibRdKafkaError: convert } =
  require('@confluentinc/kafka-javascript/lib/kafkajs/_common.js') as {
    createKafkaJsErrorFromLibRdKafkaError(error: unknown): Error & { code: number };
  };
const LibrdKafkaError = require('@confluentinc/kafka-javascript/lib/error.js') as new (error: object) => Error;

const codes = KafkaJS.ErrorCodes;
const coordinatorNotAvailable = () =>
  new LibrdKafkaError({
    code: codes.ERR_COORDINATOR_NOT_AVAILABLE,
    message: 'Failed to commit offsets to transaction on broker 127.0.0.1:26096/3: (Broker: Coordinator not available)',
  });

test('a COORDINATOR_NOT_AVAILABLE from librdkafka converts to a KafkaJS error keeping its code and message', () => {
  const error = convert(coordinatorNotAvailable());
  assert.ok(error instanceof KafkaJS.KafkaJSError);
  assert.equal(error.code, codes.ERR_COORDINATOR_NOT_AVAILABLE);
  assert.match(error.message, /Coordinator not available/);
  // A commit or abort answered so is called again once the coordinator moved.
  assert.equal(nextStep(error), 'again');
});

test('a sendOffsets answered COORDINATOR_NOT_AVAILABLE aborts the transaction and rejects it, retriable', async () => {
  const calls: string[] = [];
  // Like the client's sendOffsets: its callback converts librdkafka's error and rejects with it.
  const transaction = {
    sendOffsets: () =>
      new Promise<void>((_resolve, reject) => {
        calls.push('sendOffsets');
        reject(convert(coordinatorNotAvailable()));
      }),
    commit: async () => void calls.push('commit'),
    abort: async () => void calls.push('abort'),
  };
  const producer = { transaction: async () => transaction } as unknown as KafkaJS.Producer;
  await assert.rejects(
    transactionally(producer, async (open) => open.sendOffsets({ consumer: {} as KafkaJS.Consumer, topics: [] })),
    (error: { code?: number }) => error.code === codes.ERR_COORDINATOR_NOT_AVAILABLE,
  );
  assert.deepEqual(calls, ['sendOffsets', 'abort']);
});

test('the repair applies once: loading the client made it, a second call finds the class defined', () => {
  assert.equal(repairClientErrors(), false);
});
