// Unit tests of the status routes (src/order/status-routes.ts) over real HTTP: while the status table is still
// loading a plain read answers 503 and a terminal wait waits the loading out within its timeout; a terminal wait
// ends on the order's settled record, not on a terminal status that came before its earlier events.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import type { OrderStatus } from '../../src/contracts/order-status.js';
import { createOrderApp } from '../../src/order/app.js';
import { createDeadLetterCount } from '../../src/order/dead-letter-count.js';
import { createStatusTable, type StatusTable } from '../../src/order/status-table.js';
import { recordingLogger } from '../helpers.js';

const entry = (type: string, topic: string): OrderStatus['history'][number] => ({
  type,
  time: '2026-12-04T10:00:00.000Z',
  topic,
  partition: 0,
  offset: '1',
});
const created = entry('webshop.order.created', 'order_created');
const failed = entry('webshop.payment.failed', 'payment_failed');
const notified = entry('webshop.notification.sent', 'notification_sent');
/** The events on the way to each status the tests use. */
const historyOf: Partial<Record<OrderStatus['status'], OrderStatus['history']>> = {
  paid: [created, entry('webshop.payment.completed', 'payment_completed')],
  shipped: [
    created,
    entry('webshop.payment.completed', 'payment_completed'),
    entry('webshop.order.shipped', 'order_shipped'),
  ],
  customer_notified: [created, failed, notified],
};

const record = (
  orderId: string,
  status: OrderStatus['status'],
  history = historyOf[status] ?? [created],
): OrderStatus => ({
  orderId,
  amount: 50,
  status,
  correlationId: `req-${orderId}`,
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T10:00:00.000Z',
  history,
});

/** The app with a table that is loading until `finishLoading()`. */
async function startLoadingApp(
  t: TestContext,
): Promise<{ url: string; server: Server; table: StatusTable; finishLoading(): void }> {
  const table = createStatusTable(100);
  let loaded = false;
  const app = createOrderApp({
    publish: () => Promise.resolve(),
    ready: () => true,
    ackTimeoutMs: 1000,
    log: recordingLogger().log,
    status: { table, deadLetters: createDeadLetterCount(), loaded: () => loaded, producedRecently: () => false },
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    table.release();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, table, finishLoading: () => (loaded = true) };
}

const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('while the table loads, GET /orders/:id and GET /orders answer 503, still loading', async (t) => {
  const { url, table } = await startLoadingApp(t);
  table.put(record('o-1', 'paid'));
  for (const path of ['/orders/o-1', '/orders']) {
    const answer = await get(`${url}${path}`);
    assert.equal(answer.status, 503, path);
    assert.deepEqual(answer.body, { status: 'error', message: 'Order status is still loading; retry shortly' });
  }
});

test('a terminal wait started while the table loads answers the terminal record the loading brings', async (t) => {
  const { url, server, table } = await startLoadingApp(t);
  table.put(record('o-2', 'paid'));
  const arrived = once(server, 'request');
  const waiting = get(`${url}/orders/o-2?wait=terminal&timeout=20000`);
  await arrived;
  await new Promise((resolve) => setImmediate(resolve));
  table.put(record('o-2', 'shipped'));
  const answer = await waiting;
  assert.equal(answer.status, 200);
  assert.equal(answer.body.status, 'shipped');
});

test('a terminal wait does not end on a terminal status read before the events on the way to it', async (t) => {
  const { url, server, table, finishLoading } = await startLoadingApp(t);
  finishLoading();
  // Already in the table when the request comes: a wait that ended on any terminal status would answer it.
  table.put(record('o-3', 'customer_notified', [notified]));
  const arrived = once(server, 'request');
  const waiting = get(`${url}/orders/o-3?wait=terminal&timeout=20000`);
  await arrived;
  await new Promise((resolve) => setImmediate(resolve));
  table.put(record('o-3', 'customer_notified', [created, notified]));
  table.put(record('o-3', 'customer_notified'));
  const answer = await waiting;
  assert.equal(answer.status, 200);
  assert.equal(answer.body.status, 'customer_notified');
  assert.equal((answer.body.history as unknown[]).length, 3);
});

test('a terminal wait that times out while the table still loads answers 503, once loaded the status so far', async (t) => {
  const { url, table, finishLoading } = await startLoadingApp(t);
  table.put(record('o-4', 'paid'));
  const loading = await get(`${url}/orders/o-4?wait=terminal&timeout=50`);
  assert.equal(loading.status, 503);
  assert.equal(loading.body.message, 'Order status is still loading; retry shortly');
  finishLoading();
  const loaded = await get(`${url}/orders/o-4?wait=terminal&timeout=50`);
  assert.equal(loaded.status, 200);
  assert.equal(loaded.body.status, 'paid');
});
