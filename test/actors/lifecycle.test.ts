// Unit tests of an actor's lifecycle: one state value and the moves it allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLifecycle } from '../../src/actors/lifecycle.js';

test('an actor starts, runs, stops and is stopped, and takes work only while running', () => {
  const lifecycle = createLifecycle();
  const seen = [];
  for (const next of ['running', 'stopping', 'stopped'] as const) {
    seen.push([lifecycle.state(), lifecycle.running(), lifecycle.stopping()]);
    lifecycle.moveTo(next);
  }
  seen.push([lifecycle.state(), lifecycle.running(), lifecycle.stopping()]);
  assert.deepEqual(seen, [
    ['starting', false, false],
    ['running', true, false],
    ['stopping', false, true],
    ['stopped', false, true],
  ]);
});

test('an actor whose start failed is stopped without running', () => {
  const lifecycle = createLifecycle();
  lifecycle.moveTo('stopped');
  assert.equal(lifecycle.state(), 'stopped');
});

test('a move the lifecycle does not allow throws and leaves the state as it was', () => {
  const lifecycle = createLifecycle();
  assert.throws(() => lifecycle.moveTo('stopping'), /cannot move from starting to stopping/);
  lifecycle.moveTo('running');
  assert.throws(() => lifecycle.moveTo('running'), /cannot move from running to running/);
  lifecycle.moveTo('stopping');
  assert.throws(() => lifecycle.moveTo('running'), /cannot move from stopping to running/);
  assert.equal(lifecycle.state(), 'stopping');
});
