// Unit tests of src/kafka/group-rebalance.ts with a fake client consumer: added partitions are taken at once,
// revoked ones are given up only after the owner's onRevoke finished (at once while the member leaves), and one
// rebalance waits for the one before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaJS, type KafkaConsumer, type LibrdKafkaError, type TopicPartition } from '@confluentinc/kafka-javascript';
import winston from 'winston';
import { rebalanceListener } from '../../src/kafka/group-rebalance.js';
import { waitFor } from '../helpers.js';

const assign = { code: KafkaJS.ErrorCodes.ERR__ASSIGN_PARTITIONS } as LibrdKafkaError;
const revoke = { code: KafkaJS.ErrorCodes.ERR__REVOKE_PARTITIONS } as LibrdKafkaError;
const partitions = (...numbers: number[]): TopicPartition[] => numbers.map((partition) => ({ topic: 't', partition }));

/** A listener over a fake consumer that records the client calls and what the owner was told, in order. */
function listenerOn(protocol: 'COOPERATIVE' | 'EAGER', leaving = () => false) {
  const calls: string[] = [];
  let finishRevoke = (): void => undefined;
  const list = (given: TopicPartition[]): string => given.map(({ partition }) => partition).join(',');
  const consumer = {
    rebalanceProtocol: () => protocol,
    incrementalAssign: (given: TopicPartition[]) => void calls.push(`incrementalAssign ${list(given)}`),
    incrementalUnassign: (given: TopicPartition[]) => void calls.push(`incrementalUnassign ${list(given)}`),
    assign: (given: TopicPartition[]) => void calls.push(`assign ${list(given)}`),
    unassign: () => void calls.push('unassign'),
    resume: (given: TopicPartition[]) => void calls.push(`resume ${list(given)}`),
  } as unknown as KafkaConsumer;
  const listener = rebalanceListener(
    () => consumer,
    {
      onAssign: (given) => void calls.push(`onAssign ${list(given)}`),
      onRevoke: (given) => {
        calls.push(`onRevoke ${list(given)}`);
        return new Promise<void>((resolve) => (finishRevoke = resolve));
      },
    },
    {
      changed: (given) => void calls.push(`changed ${list(given)}`),
      leaving,
      log: winston.createLogger({ silent: true }),
    },
  );
  return { listener, calls, finishRevoke: () => finishRevoke() };
}

test('revoked partitions are given up only after onRevoke finished; the next assignment waits for that', async () => {
  const { listener, calls, finishRevoke } = listenerOn('COOPERATIVE');
  listener.callback(assign, partitions(0, 1));
  await waitFor('the assignment', () => listener.holds('t/1'));
  listener.callback(revoke, partitions(1));
  listener.callback(assign, partitions(2));
  await waitFor('onRevoke to be called', () => calls.includes('onRevoke 1'));
  assert.equal(listener.holds('t/1'), false, 'a revoked partition is not held from the callback on');
  assert.equal(calls.includes('incrementalUnassign 1'), false, 'not given up while its work finishes');
  finishRevoke();
  await waitFor('the next assignment', () => listener.holds('t/2'));
  assert.deepEqual(calls, [
    'changed 0,1',
    'incrementalAssign 0,1',
    'resume 0,1',
    'onAssign 0,1',
    'changed 1',
    'onRevoke 1',
    'incrementalUnassign 1',
    'changed 2',
    'incrementalAssign 2',
    'resume 2',
    'onAssign 2',
  ]);
});

test('a member that leaves gives its partitions up at once: the client closes only then', async () => {
  const { listener, calls } = listenerOn('EAGER', () => true);
  listener.callback(assign, partitions(0));
  await waitFor('the assignment', () => listener.holds('t/0'));
  listener.callback(revoke, partitions(0));
  await waitFor('the partitions to be given up', () => calls.includes('unassign'));
  assert.deepEqual(calls, ['changed 0', 'assign 0', 'resume 0', 'onAssign 0', 'changed 0', 'onRevoke 0', 'unassign']);
});
