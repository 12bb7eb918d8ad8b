// Unit tests of GET /events and the page's routes (src/order/events-route.ts, page-routes.ts) over real HTTP,
// with an in-memory status table: the snapshot, one event per change, heartbeats, and unsubscribe on close.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import type { OrderStatus } from '../../src/contracts/order-status.js';
import { createOrderApp } from '../../src/order/app.js';
import { createDeadLetterCount, type DeadLetterCount } from '../../src/order/dead-letter-count.js';
import { createStatusTable, type StatusTable } from '../../src/order/status-table.js';
import { recordingLogger, waitFor } from '../helpers.js';

interface LiveApp {
  url: string;
  table: StatusTable;
  deadLetters: DeadLetterCount;
  /** Listeners on the table's and the count's changes now. */
  listeners(): number;
}

const record = (orderId: string, status: OrderStatus['status'], createdAt: string): OrderStatus => ({
  orderId,
  amount: 50,
  status,
  correlationId: `req-${orderId}`,
  createdAt,
  updatedAt: createdAt,
  history: [{ type: 'webshop.order.created', time: createdAt, topic: 'order_created', partition: 0, offset: '0' }],
});

async function startLiveApp(t: TestContext): Promise<LiveApp> {
  const table = createStatusTable(100);
  const deadLetters = createDeadLetterCount();
  let listeners = 0;
  const counted =
    <T>(subscribe: (listener: T) => () => void) =>
    (listener: T) => {
      listeners += 1;
      const stop = subscribe(listener);
      return () => {
        listeners -= 1;
        stop();
      };
    };
  const status = {
    table: { ...table, onChange: counted(table.onChange) },
    deadLetters: { ...deadLetters, onChange: counted(deadLetters.onChange) },
    loaded: () => true,
    producedRecently: () => false,
  };
  const app = createOrderApp({
    publish: () => Promise.resolve(),
    ready: () => true,
    ackTimeoutMs: 1000,
    log: recordingLogger().log,
    status,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, table, deadLetters, listeners: () => listeners };
}

/** Opens GET /events and collects its events ({ event, data }) as they come. */
async function openEvents(url: string, controller: AbortController) {
  const response = await fetch(`${url}/events`, { signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const stream = { ended: false };
  let text = '';
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
      stream.ended = true;
    } catch {
      // Aborted by the test.
    }
  })();
  return { response, events, stream };
}

test('GET /events starts with a snapshot of the newest orders and the dead-letter count', async (t) => {
  const live = await startLiveApp(t);
  live.table.put(record('old', 'shipped', '2026-11-26T15:00:00.000Z'));
  live.table.put(record('new', 'created', '2026-11-26T16:00:00.000Z'));
  live.deadLetters.add(0, '0');
  const controller = new AbortController();
  t.after(() => controller.abort());
  const { response, events } = await openEvents(live.url, controller);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  const [snapshot] = await waitFor('the snapshot', () => events.length > 0 && events);
  assert.equal(snapshot.event, 'snapshot');
  const data = snapshot.data as { orders: OrderStatus[]; deadLetters: number };
  assert.deepEqual(
    data.orders.map(({ orderId }) => orderId),
    ['new', 'old'],
  );
  assert.equal(data.deadLetters, 1);
});

test('GET /events sends one order event per stored record and a dead-letters event per new dead letter', async (t) => {
  const live = await startLiveApp(t);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const { events } = await openEvents(live.url, controller);
  await waitFor('the snapshot', () => events.length === 1);
  live.table.put(record('o-1', 'created', '2026-11-26T15:00:00.000Z'));
  live.table.put(record('o-1', 'paid', '2026-11-26T15:00:00.000Z'));
  live.deadLetters.add(2, '7');
  live.deadLetters.add(2, '7');
  await waitFor('three changes', () => events.length === 4);
  assert.deepEqual(
    events
      .slice(1)
      .map(({ event, data }) => [
        event,
        (data as { status?: string; count?: number }).status ?? (data as { count: number }).count,
      ]),
    [
      ['order', 'created'],
      ['order', 'paid'],
      ['dead-letters', 1],
    ],
  );
});

test('GET /events stops listening to the table when the client closes the stream', async (t) => {
  const live = await startLiveApp(t);
  const controller = new AbortController();
  const { events } = await openEvents(live.url, controller);
  await waitFor('the snapshot', () => events.length === 1);
  assert.equal(live.listeners(), 2, 'the table and the dead-letter count');
  controller.abort();
  await waitFor('the listeners to go', () => live.listeners() === 0);
  live.table.put(record('after', 'created', '2026-11-26T15:00:00.000Z'));
});

test('GET /events ends its stream when the table is released, as the service stops', async (t) => {
  const live = await startLiveApp(t);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const { events, stream } = await openEvents(live.url, controller);
  await waitFor('the snapshot', () => events.length === 1);
  live.table.release();
  await waitFor('the stream to end', () => stream.ended && live.listeners() === 0);
});

test('GET / serves the live page, and its script and style sheet, with a same-origin content security policy', async (t) => {
  const live = await startLiveApp(t);
  const page = await fetch(`${live.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await page.text();
  assert.match(html, /<script type="module" src="\/page\/app.js">/);
  assert.match(html, /aria-live="polite"/);
  for (const [path, type] of [
    ['/page/app.js', /^text\/javascript/],
    ['/page/style.css', /^text\/css/],
  ] as const) {
    const asset = await fetch(`${live.url}${path}`);
    assert.equal(asset.status, 200, path);
    assert.match(asset.headers.get('content-type') ?? '', type);
    assert.ok((await asset.text()).length > 100, path);
  }
});
