// Unit tests of the order service's status table: bounded with the order updated longest ago going first,
// the newest orders first, change notifications, and waits that end on a change, a timeout or a release.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OrderStatus, OrderStatusName } from '../../src/contracts/order-status.js';
import { createStatusTable } from '../../src/order/status-table.js';

const record = (orderId: string, createdSecond: number, status: OrderStatusName = 'created'): OrderStatus => {
  const time = new Date(Date.UTC(2025, 0, 1, 0, 0, createdSecond)).toISOString();
  return {
    orderId,
    amount: 10,
    status,
    correlationId: `c-${orderId}`,
    createdAt: time,
    updatedAt: time,
    history: [{ type: 'webshop.order.created', time, topic: 'order_created', partition: 0, offset: '0' }],
  };
};

test('past its bound the table drops the order updated longest ago, not the one created first', () => {
  const table = createStatusTable(2);
  table.put(record('a', 1));
  table.put(record('b', 2));
  table.put(record('a', 1, 'paid'));
  table.put(record('c', 3));
  assert.equal(table.get('b'), undefined);
  assert.equal(table.get('a')?.status, 'paid');
  assert.equal(table.size(), 2);
});

test('newest lists the orders created last first, at most limit of them', () => {
  const table = createStatusTable(100);
  for (const [id, second] of [
    ['a', 5],
    ['b', 1],
    ['c', 9],
    ['d', 3],
    ['e', 7],
  ] as const)
    table.put(record(id, second));
  assert.deepEqual(
    table.newest(3).map(({ orderId }) => orderId),
    ['c', 'e', 'a'],
  );
  assert.deepEqual(
    table.newest(10).map(({ orderId }) => orderId),
    ['c', 'e', 'a', 'd', 'b'],
  );
});

test('onChange tells each stored record until its stop function is called', () => {
  const table = createStatusTable(10);
  const seen: string[] = [];
  const stop = table.onChange((changed) => seen.push(`${changed.orderId}:${changed.status}`));
  table.put(record('a', 1));
  stop();
  table.put(record('a', 1, 'paid'));
  assert.deepEqual(seen, ['a:created']);
});

const is =
  (status: OrderStatusName) =>
  (changed: OrderStatus): boolean =>
    changed.status === status;

test('a wait ends when the record reaches what it waits for, not on earlier changes', async () => {
  const table = createStatusTable(10);
  table.put(record('a', 1));
  const waiting = table.waitFor('a', is('shipped'), 10000);
  table.put(record('a', 1, 'paid'));
  table.put(record('b', 1, 'shipped'));
  table.put(record('a', 1, 'shipped'));
  assert.equal((await waiting)?.status, 'shipped');
});

test('a wait ends with what is there at its timeout, at once when already reached, and on release', async () => {
  const table = createStatusTable(10);
  table.put(record('a', 1, 'paid'));
  assert.equal((await table.waitFor('a', is('shipped'), 20))?.status, 'paid');
  assert.equal(await table.waitFor('unknown', is('shipped'), 20), undefined);
  assert.equal((await table.waitFor('a', is('paid'), 60000))?.status, 'paid');
  const released = table.waitFor('a', is('shipped'), 60000);
  table.release();
  assert.equal((await released)?.status, 'paid');
  const aborted = new AbortController();
  const cancelled = table.waitFor('a', is('shipped'), 60000, aborted.signal);
  aborted.abort();
  assert.equal((await cancelled)?.status, 'paid');
});
