// Unit tests of src/unanswered.ts: a call given up on is counted until it answers, whether it resolves or rejects,
// and one that never answers stays counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaveUpOn, unansweredCalls } from '../src/unanswered.js';

const settle = () => new Promise(setImmediate);

test('a call given up on counts until it answers, resolved or rejected; one that never answers stays counted', async () => {
  const before = unansweredCalls();
  let answer!: () => void;
  let fail!: (error: Error) => void;
  gaveUpOn(new Promise<void>((resolve) => (answer = resolve)));
  gaveUpOn(new Promise<void>((_resolve, reject) => (fail = reject)));
  gaveUpOn(new Promise<void>(() => undefined));
  assert.equal(unansweredCalls(), before + 3);
  answer();
  await settle();
  assert.equal(unansweredCalls(), before + 2, 'an answer, late as it is, gives the count back');
  fail(new Error('the broker went away'));
  await settle();
  assert.equal(unansweredCalls(), before + 1, 'a late failure is an answer too');
});
