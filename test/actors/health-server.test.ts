// Unit tests of src/actors/health-server.ts: the actors' /healthz, /readyz and /metrics over real HTTP.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { type HealthState, startHealthServer } from '../../src/actors/health-server.js';
import { createMetrics } from '../../src/metrics.js';
import { promtoolProblems } from '../promtool.js';

/** Resolves true when a fresh server can bind `port` on 127.0.0.1, then releases it. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

test('port 0 gives a real port that answers GET /healthz with 200', async (t) => {
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: false, detail: {} }));
  t.after(() => health.close());
  assert.ok(health.port > 0);
  const response = await fetch(`http://127.0.0.1:${health.port}/healthz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('GET /readyz answers 503 then 200 as the actor state changes, with its detail', async (t) => {
  let state: HealthState = { ready: false, detail: { actor: 'payment', assigned: 0 } };
  const health = await startHealthServer('127.0.0.1', 0, () => state);
  t.after(() => health.close());
  const url = `http://127.0.0.1:${health.port}/readyz`;
  const notReady = await fetch(url);
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), { status: 'not ready', actor: 'payment', assigned: 0 });
  state = { ready: true, detail: { actor: 'payment', assigned: 6 } };
  const ready = await fetch(`${url}?verbose=1`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', actor: 'payment', assigned: 6 });
});

test('an unknown path answers 404 in JSON', async (t) => {
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }));
  t.after(() => health.close());
  const response = await fetch(`http://127.0.0.1:${health.port}/metrics`);
  assert.equal(response.status, 404);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.deepEqual(await response.json(), { status: 'error', message: 'No route for GET /metrics' });
});

test('a POST answers 405 in JSON', async (t) => {
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }));
  t.after(() => health.close());
  const response = await fetch(`http://127.0.0.1:${health.port}/healthz`, { method: 'POST' });
  assert.equal(response.status, 405);
  assert.deepEqual(await response.json(), { status: 'error', message: 'Method not allowed' });
});

test('close() frees the port, even after a request on a kept-alive connection', async () => {
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }));
  assert.equal((await fetch(`http://127.0.0.1:${health.port}/healthz`)).status, 200);
  assert.equal(await canBind(health.port), false, 'the port was free while the server ran');
  await health.close();
  assert.equal(await canBind(health.port), true, 'the port is still taken after close()');
});

test('starting on a port already in use rejects instead of hanging', async (t) => {
  const first = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }));
  t.after(() => first.close());
  await assert.rejects(
    startHealthServer('127.0.0.1', first.port, () => ({ ready: true, detail: {} })),
    { code: 'EADDRINUSE' },
  );
});

test('GET /metrics serves the registry in the Prometheus text format that promtool passes', async (t) => {
  const metrics = createMetrics();
  metrics.actor('payment').processed('completed');
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }), metrics.registry);
  t.after(() => health.close());
  const response = await fetch(`http://127.0.0.1:${health.port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  assert.match(text, /^webshop_actor_events_processed_total\{actor="payment",outcome="completed"\} 1$/m);
  assert.equal(await promtoolProblems(text), '');
});

test('without a registry GET /metrics answers 404', async (t) => {
  const health = await startHealthServer('127.0.0.1', 0, () => ({ ready: true, detail: {} }));
  t.after(() => health.close());
  assert.equal((await fetch(`http://127.0.0.1:${health.port}/metrics`)).status, 404);
});
