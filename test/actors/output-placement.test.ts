// Where an actor's outputs go, decided from its topics' partition counts (a fake admin answers the metadata).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputPlacement } from '../../src/actors/output-placement.js';
import type { Admin } from '../../src/kafka/client.js';

/** An admin whose topics have these partition counts, each partition with a leader. */
const adminWith = (counts: Record<string, number>): Admin =>
  ({
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) =>
      topics.map((name) => ({
        name,
        partitions: Array.from({ length: counts[name]! }, (_, partitionId) => ({ partitionId, leader: 1 })),
      })),
  }) as unknown as Admin;

test('with as many partitions on every input and output topic, an output goes to its input’s partition', async () => {
  const placement = await outputPlacement(adminWith({ in: 6, out: 6, other: 6 }), ['in'], ['out', 'other']);
  assert.equal(placement.followsInputs, true);
  assert.deepEqual(
    [0, 3, 5].map((partition) => placement.partition('out', partition)),
    [0, 3, 5],
  );
  assert.equal(placement.partition('out', 6), undefined, 'an input partition added later: its key places it');
});

test('with partition counts that differ, every output is placed by its key', async () => {
  const placement = await outputPlacement(adminWith({ in: 6, out: 3 }), ['in'], ['out']);
  assert.equal(placement.followsInputs, false);
  assert.deepEqual(
    [0, 2, 5].map((partition) => placement.partition('out', partition)),
    [undefined, undefined, undefined],
  );
});
