// Unit tests of the actor's replaceable transactional producer, with producers whose transactions answer
// like librdkafka's do after the coordinator aborted a transaction behind their back, and of producers taking turns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import {
  replaceableProducer,
  takingTurns,
  type TransactionalProducer,
} from '../../src/actors/transactional-producer.js';
import type { GroupMember } from '../../src/kafka/group-consumer.js';
import type { TransactionalClient } from '../../src/kafka/transactional-client.js';
import { recordingLogger } from '../helpers.js';

const codes = KafkaJS.ErrorCodes;

const consumer = { client: {} } as GroupMember;
const consumed = [{ topic: 'faults.order_created', partition: 0, offset: '41' }];

interface FakeProducer {
  id: number;
  events: string[];
}

/** Producers numbered from 1; `broken` ones fail every transaction and cannot abort it. */
function producers(broken: Set<number>) {
  const made: FakeProducer[] = [];
  const create = (): TransactionalClient => {
    const fake: FakeProducer = { id: made.length + 1, events: [] };
    made.push(fake);
    const fail = (code: number, message: string) => Promise.reject(new KafkaJS.KafkaJSError(message, { code }));
    const transaction = {
      send: async () => [],
      sendOffsets: async () => {
        fake.events.push('sendOffsets');
        if (broken.has(fake.id)) return fail(codes.ERR__TIMED_OUT, 'Timed out');
      },
      commit: async () => void fake.events.push('commit'),
      abort: async () => {
        fake.events.push('abort');
        return fail(codes.ERR_INVALID_TXN_STATE, 'Failed to end transaction: Broker: invalid transaction state');
      },
    };
    return {
      connect: async () => void fake.events.push('connect'),
      disconnect: async () => void fake.events.push('disconnect'),
      transaction: async () => transaction,
    } as unknown as TransactionalClient;
  };
  return { made, create };
}

test('a producer that cannot abort is replaced before the next transaction, which then commits', async () => {
  const { made, create } = producers(new Set([1]));
  const { log, entries } = recordingLogger('info');
  const producer = replaceableProducer(create, log);
  await producer.connect();

  await assert.rejects(producer.commit(consumer, [], consumed), { code: 'KAFKA_UNAVAILABLE', retriable: true });
  assert.equal(made.length, 1, 'replaced only when the next transaction needs it');

  await producer.commit(consumer, [], consumed);
  assert.equal(made.length, 2);
  assert.deepEqual(made[0]!.events, ['connect', 'sendOffsets', 'abort', 'disconnect']);
  assert.deepEqual(made[1]!.events, ['connect', 'sendOffsets', 'commit']);
  assert.deepEqual(
    entries.map((entry) => entry.message),
    ['producer failed, replacing it', 'producer replaced'],
  );
});

test('a replacement that cannot connect (the broker still away) is tried again at the next transaction', async () => {
  const { made, create } = producers(new Set([1]));
  const { log } = recordingLogger('info');
  const producer = replaceableProducer(() => {
    const created = create();
    if (made.length === 2) {
      created.connect = () => Promise.reject(new KafkaJS.KafkaJSError('broker away', { code: codes.ERR__TRANSPORT }));
    }
    return created;
  }, log);
  await producer.connect();
  await assert.rejects(producer.commit(consumer, [], consumed), { code: 'KAFKA_UNAVAILABLE' });
  await assert.rejects(producer.commit(consumer, [], consumed), /broker away/);

  await producer.commit(consumer, [], consumed);
  assert.equal(made.length, 3);
  assert.deepEqual(made[1]!.events, ['disconnect'], 'the one that never connected is closed');
  assert.deepEqual(made[2]!.events, ['connect', 'sendOffsets', 'commit']);
});

test('a replacement whose connect never answers is abandoned after the bound, and the next transaction makes another', async () => {
  const { made, create } = producers(new Set([1]));
  const { log } = recordingLogger('info');
  const producer = replaceableProducer(
    () => {
      const created = create();
      if (made.length === 2) created.connect = () => new Promise<void>(() => undefined);
      return created;
    },
    log,
    20,
  );
  await producer.connect();
  await assert.rejects(producer.commit(consumer, [], consumed), { code: 'KAFKA_UNAVAILABLE' });
  await assert.rejects(producer.commit(consumer, [], consumed), {
    code: 'KAFKA_UNAVAILABLE',
    retriable: true,
    message: 'a new producer did not connect in 20 ms',
  });

  await producer.commit(consumer, [], consumed);
  assert.equal(made.length, 3);
  assert.deepEqual(made[1]!.events, ['disconnect'], 'the silent one is closed, not waited on');
  assert.deepEqual(made[2]!.events, ['connect', 'sendOffsets', 'commit']);
});

test('producers taking turns commit one transaction each in turn, and connect and disconnect together', async () => {
  const calls: string[] = [];
  const fake = (name: string): TransactionalProducer => ({
    connect: async () => void calls.push(`${name} connect`),
    commit: async (_member, messages) => {
      calls.push(`${name} commit ${messages.length}`);
      return [];
    },
    disconnect: async () => void calls.push(`${name} disconnect`),
  });
  const producer = takingTurns([fake('a'), fake('b')]);
  await producer.connect();
  const message = { topic: 'payment_completed', key: 'o-1', value: '{}', headers: {} };
  for (const count of [1, 2, 3]) await producer.commit(consumer, Array(count).fill(message), consumed);
  await producer.disconnect();
  assert.deepEqual(calls, [
    'a connect',
    'b connect',
    'a commit 1',
    'b commit 2',
    'a commit 3',
    'a disconnect',
    'b disconnect',
  ]);
});
