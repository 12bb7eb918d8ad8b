// Unit tests of ending a transaction, against a model of librdkafka's rules: a commit or abort that fails with a
// retriable error goes on in the background and is resumed by calling it again; while one waits to be resumed,
// the other call answers ERR__CONFLICT naming it. The errors carry the client's real codes and messages, and
// (like the client's KafkaJS layer) no retriable / fatal flags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { WebshopError } from '../../src/errors.js';
import { isFenced, needsNewProducer } from '../../src/kafka/producer-failure.js';
import { commitTransaction, endTransaction, transactionally } from '../../src/kafka/transaction.js';
import type { GroupClient } from '../../src/kafka/group-consumer.js';
import type { TransactionalClient } from '../../src/kafka/transactional-client.js';

const codes = KafkaJS.ErrorCodes;
const noWait = { backoffMs: () => 0 };

const clientError = (code: number, message: string) => new KafkaJS.KafkaJSError(message, { code });

/** What one call answers: success, or an error that leaves the call waiting to be resumed (or not). */
type Answer = 'ok' | { error: Error; resumable: boolean };
const timedOut: Answer = {
  error: clientError(codes.ERR__TIMED_OUT, 'Failed to flush all outstanding messages within the API timeout'),
  resumable: true,
};
const fenced: Answer = {
  error: clientError(codes.ERR__FENCED, 'Failed to end transaction: Local: This instance has been fenced'),
  resumable: false,
};

/** A transaction whose commit and abort answer from scripts, following librdkafka's resume rules. */
function scriptedTransaction(script: { commit?: Answer[]; abort?: Answer[] }) {
  const calls: string[] = [];
  let waiting: 'commit' | 'abort' | undefined;
  const answer = async (call: 'commit' | 'abort') => {
    calls.push(call);
    if (waiting && waiting !== call) {
      throw clientError(codes.ERR__CONFLICT, `Conflicting ${waiting}_transaction API call is already in progress`);
    }
    const next = script[call]?.shift() ?? 'ok';
    waiting = next !== 'ok' && next.resumable ? call : undefined;
    if (next !== 'ok') throw next.error;
  };
  return { calls, transaction: { commit: () => answer('commit'), abort: () => answer('abort') } };
}

test('a commit that timed out while the broker was away is resumed by committing again, never aborted', async () => {
  const { calls, transaction } = scriptedTransaction({ commit: [timedOut, timedOut] });
  assert.deepEqual(await endTransaction(transaction, 'commit', noWait), { ended: 'committed' });
  assert.deepEqual(calls, ['commit', 'commit', 'commit']);
});

test('an abort answered with "Conflicting commit_transaction" resumes the waiting commit instead of giving up', async () => {
  // A failure whose code says nothing about resuming, while librdkafka keeps the commit waiting.
  const inconsistent: Answer = {
    error: clientError(codes.ERR__INCONSISTENT, 'Local: Inconsistent state'),
    resumable: true,
  };
  const { calls, transaction } = scriptedTransaction({ commit: [inconsistent] });
  assert.deepEqual(await endTransaction(transaction, 'commit', noWait), { ended: 'committed' });
  assert.deepEqual(calls, ['commit', 'abort', 'commit']);
});

test('a commit that can never succeed (a message was not delivered) is aborted, and the result names the commit error', async () => {
  // A message of the transaction was never delivered: the transaction must be aborted.
  const refused = clientError(codes.ERR__MSG_TIMED_OUT, 'Local: Message timed out');
  const { calls, transaction } = scriptedTransaction({ commit: [{ error: refused, resumable: false }] });
  assert.deepEqual(await endTransaction(transaction, 'commit', noWait), { ended: 'aborted', error: refused });
  assert.deepEqual(calls, ['commit', 'abort']);
});

test('an abort that timed out is called again until it is done', async () => {
  const { calls, transaction } = scriptedTransaction({ abort: [timedOut, timedOut, timedOut] });
  const result = await endTransaction(transaction, 'abort', noWait);
  assert.equal(result.ended, 'aborted');
  assert.deepEqual(calls, ['abort', 'abort', 'abort', 'abort']);
});

test('a fenced producer is given up at once, and the instance is told to end', async () => {
  const { calls, transaction } = scriptedTransaction({ commit: [fenced] });
  const error = await endTransaction(transaction, 'commit', noWait).catch((caught: unknown) => caught);
  assert.ok(isFenced(error), 'fenced');
  assert.ok(!needsNewProducer(error), 'a new producer would only fence the other instance in turn');
  assert.match(String((error as Error).message), /fenced/);
  assert.deepEqual(calls, ['commit']);
});

test('an abort the coordinator answers with INVALID_TXN_STATE asks for a new producer, not the end of the instance', async () => {
  const invalidState = clientError(
    codes.ERR_INVALID_TXN_STATE,
    'Failed to end transaction: Broker: Producer attempted a transactional operation in an invalid state',
  );
  const { calls, transaction } = scriptedTransaction({ abort: [timedOut, { error: invalidState, resumable: false }] });
  const error = await endTransaction(transaction, 'abort', noWait).catch((caught: unknown) => caught);
  assert.ok(needsNewProducer(error), 'a new producer');
  assert.ok(!isFenced(error), 'not fenced');
  assert.deepEqual(calls, ['abort', 'abort']);
});

test('an abort that fails for good asks for a new producer: this one could never start another transaction', async () => {
  const state = clientError(codes.ERR__STATE, 'Operation not valid in state Ready');
  const { transaction } = scriptedTransaction({ abort: [{ error: state, resumable: false }] });
  const error = await endTransaction(transaction, 'abort', noWait).catch((caught: unknown) => caught);
  assert.ok(needsNewProducer(error), 'a new producer');
  assert.match(String((error as Error).message), /cannot be aborted/);
});

test('transactionally aborts when the work fails and rejects with the work error', async () => {
  const { calls, transaction } = scriptedTransaction({});
  const producer = { transaction: async () => transaction } as unknown as KafkaJS.Producer;
  const failed = new Error('send failed');
  await assert.rejects(
    transactionally(producer, async () => {
      throw failed;
    }),
    (error) => error === failed,
  );
  assert.deepEqual(calls, ['abort']);
});

test('transactionally rejects with a retriable error when the commit ended aborted', async () => {
  const refused = clientError(codes.ERR_INVALID_RECORD, 'Broker: Invalid record');
  const { calls, transaction } = scriptedTransaction({ commit: [{ error: refused, resumable: false }] });
  const producer = { transaction: async () => transaction } as unknown as KafkaJS.Producer;
  const error = await transactionally(producer, async () => undefined).catch((caught: unknown) => caught);
  assert.deepEqual(
    [(error as WebshopError).code, (error as WebshopError).retriable, needsNewProducer(error)],
    ['KAFKA_UNAVAILABLE', true, false],
  );
  assert.match(String((error as Error).message), /not committed: .*Invalid record/);
  assert.deepEqual(calls, ['commit', 'abort']);
});

test('a message not delivered in time (librdkafka #4976: a departed leader kept) asks for a new producer, after the abort', async () => {
  const timedOutMessage = clientError(codes.ERR__MSG_TIMED_OUT, 'Local: Message timed out');
  // As a send rejects (transactional-client.ts): the client's error is the cause.
  const undelivered = new WebshopError('KAFKA_UNAVAILABLE', 'the broker did not acknowledge the messages', {
    cause: timedOutMessage,
    retriable: true,
  });
  const sending = scriptedTransaction({});
  const sendFailed = await transactionally({ transaction: async () => sending.transaction }, async () => {
    throw undelivered;
  }).catch((caught: unknown) => caught);
  assert.ok(needsNewProducer(sendFailed), 'a new producer after a send timed out');
  assert.deepEqual(sending.calls, ['abort']);

  const committing = scriptedTransaction({ commit: [{ error: timedOutMessage, resumable: false }] });
  const commitFailed = await transactionally(
    { transaction: async () => committing.transaction },
    async () => undefined,
  ).catch((caught: unknown) => caught);
  assert.ok(needsNewProducer(commitFailed), "a new producer after the commit's flush timed out");
  assert.match(String((commitFailed as Error).message), /not committed: a message was not delivered in time/);
  assert.deepEqual(committing.calls, ['commit', 'abort']);
});

test('a commit the client never answers is taken as hung: the producer is given up, not waited on forever', async () => {
  const calls: string[] = [];
  const silent = {
    commit: () => {
      calls.push('commit');
      return new Promise<void>(() => undefined);
    },
    abort: async () => void calls.push('abort'),
  };
  const error = await endTransaction(silent, 'commit', { ...noWait, hungMs: 20 }).catch((caught: unknown) => caught);
  assert.ok(needsNewProducer(error), 'a new producer');
  assert.match(String((error as Error).message), /commit was not answered in 20 ms/);
  assert.deepEqual(calls, ['commit'], 'no abort on a producer that does not answer');
});

test('transactionally gives the producer up when its sends are never answered, without an abort', async () => {
  const { calls, transaction } = scriptedTransaction({});
  const producer = { transaction: async () => transaction } as unknown as KafkaJS.Producer;
  await assert.rejects(
    transactionally(producer, () => new Promise<void>(() => undefined), undefined, 10),
    (error) => needsNewProducer(error) && /sends was not answered in 20 ms/.test(String((error as Error).message)),
  );
  assert.deepEqual(calls, []);
});

test('commitTransaction gives the producer up when the offsets are never answered (librdkafka #5511), without an abort', async () => {
  // After a kill -9 of the group coordinator, librdkafka's send_offsets_to_transaction waits on the dead broker
  // past its own timeout: the messages were delivered, the offsets never answer.
  const { calls, transaction } = scriptedTransaction({});
  const offsets: unknown[] = [];
  const stuck = {
    ...transaction,
    send: async () => [],
    sendOffsets: (...request: unknown[]) => {
      offsets.push(request);
      return new Promise<void>(() => undefined);
    },
  };
  const producer = { transaction: async () => stuck } as unknown as TransactionalClient;
  const consumer = {} as GroupClient;
  const consumed = [{ topic: 'orders', partition: 2, offset: '41' }];
  await assert.rejects(
    commitTransaction(producer, consumer, [], consumed, undefined, 20),
    (error) => needsNewProducer(error) && /offsets was not answered in 20 ms/.test(String((error as Error).message)),
  );
  assert.deepEqual(offsets, [[consumer, [{ topic: 'orders', partition: 2, offset: 42 }]]]);
  assert.deepEqual(calls, [], 'no commit or abort on a producer that does not answer');
});

test('a producer fenced after its transaction outlived transaction.timeout.ms is replaced, not the end of the instance', async () => {
  // The coordinator aborted the transaction of a long broker outage and bumped the epoch: no live twin did it.
  const { calls, transaction } = scriptedTransaction({ commit: [timedOut, fenced] });
  const old = { backoffMs: () => 0, openForMs: () => 61000 };
  const error = await endTransaction(transaction, 'commit', old).catch((failure: unknown) => failure);
  assert.equal(isFenced(error), false);
  assert.equal(needsNewProducer(error), true);
  assert.match(String(error), /open 61000 ms, past transaction.timeout.ms/);
  assert.deepEqual(calls, ['commit', 'commit']);
  // The same fencing of a young transaction: a live twin took the transactional.id over.
  const young = scriptedTransaction({ commit: [fenced] });
  const twin = await endTransaction(young.transaction, 'commit', { backoffMs: () => 0, openForMs: () => 59000 }).catch(
    (failure: unknown) => failure,
  );
  assert.equal(isFenced(twin), true);
});

test('a commit that keeps timing out for the hung bound asks for a new producer instead of calling again for ever', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const { calls, transaction } = scriptedTransaction({ commit: [timedOut, timedOut, timedOut] });
  const slow = {
    commit: () => {
      t.mock.timers.tick(20000);
      return transaction.commit();
    },
    abort: transaction.abort,
  };
  const error = await endTransaction(slow, 'commit', { backoffMs: () => 0, hungMs: 30000 }).catch(
    (failure: unknown) => failure,
  );
  assert.equal(needsNewProducer(error), true);
  assert.equal(isFenced(error), false);
  assert.match(String(error), /did not end in 40000 ms/);
  assert.deepEqual(calls, ['commit', 'commit']);
});
