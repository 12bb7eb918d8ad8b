// Unit tests of src/order/dead-letter-count.ts: the live page's dead-letter count counts each record of
// dead_letter once, however often the feed reads it, and tells its listeners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDeadLetterCount } from '../../src/order/dead-letter-count.js';

test('each dead letter is counted once, also when the feed reads the topic again from its beginning', () => {
  const letters = createDeadLetterCount();
  const told: number[] = [];
  const stop = letters.onChange((count) => told.push(count));
  letters.add(0, '0');
  letters.add(1, '0');
  letters.add(0, '1');
  letters.add(0, '0');
  letters.add(0, '1');
  assert.equal(letters.count(), 3);
  assert.deepEqual(told, [1, 2, 3]);
  stop();
  letters.add(1, '5');
  assert.deepEqual(told, [1, 2, 3], 'a stopped listener is not told');
  assert.equal(letters.count(), 4);
});
