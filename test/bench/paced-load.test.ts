// Unit tests of the benchmark's steady load (bench/paced-load.ts) against a local HTTP server: requests arrive
// evenly spaced, not as a burst a second; a slow answer holds back neither the rate nor the latency of the requests
// due behind it (open loop, latency from when a request was due); a server that cannot keep up loses requests.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { orderRequests } from '../../bench/order-events.js';
import { runPacedLoad } from '../../bench/paced-load.js';

interface OrderServer {
  url: string;
  /** performance.now() of each request's arrival. */
  arrivals: number[];
  close(): Promise<void>;
}

/** A POST /order server that answers 201 with the request's id after `delayMs`. */
async function orderServer(delayMs: number): Promise<OrderServer> {
  const arrivals: number[] = [];
  const server: Server = createServer((request, response) => {
    arrivals.push(performance.now());
    request.resume();
    request.on('end', () =>
      setTimeout(() => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ orderId: request.headers['x-request-id'] }));
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs `check` against an orderServer(delayMs), closed afterwards. */
async function withOrderServer(delayMs: number, check: (server: OrderServer) => Promise<void>): Promise<void> {
  const server = await orderServer(delayMs);
  try {
    await check(server);
  } finally {
    await server.close();
  }
}

/** The most arrivals within any `windowMs`. */
function densest(arrivals: number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < arrivals.length; last += 1) {
    while (arrivals[last]! - arrivals[first]! > windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const load = (url: string, rate: number, durationS: number, connections = 16) => ({
  label: 'test',
  url,
  connections,
  durationS,
  rate,
  nextOrder: orderRequests('paced'),
});

test('100 orders/s for 2 s arrive spread over the time, not as a burst a second', async () => {
  await withOrderServer(0, async (server) => {
    const accepted: string[] = [];
    const dueAt: number[] = [];
    const result = await runPacedLoad({
      ...load(server.url, 100, 2),
      onSent: (_id, due) => dueAt.push(due!),
      onAccepted: (id) => accepted.push(id),
    });
    // Each order tells when it was due, 10 ms after the one before, whenever the timer let it go.
    assert.equal(dueAt.length, 200);
    for (let i = 1; i < dueAt.length; i += 1) assert.ok(Math.abs(dueAt[i]! - dueAt[i - 1]! - 10) < 1e-6);
    assert.equal(result.accepted, 200);
    assert.equal(accepted.length, 200);
    assert.deepEqual(result.statuses, { 201: 200 });
    // Evenly spaced, 5 fall in any 50 ms; a timer late by a scheduling hiccup sends the few due meanwhile at once.
    // autocannon's rate limit sends all 100 of a second within a few ms.
    const most = densest(server.arrivals, 50);
    assert.ok(most <= 40, `${most} requests arrived within 50 ms`);
    const spanMs = server.arrivals.at(-1)! - server.arrivals[0]!;
    assert.ok(spanMs >= 1900, `the requests arrived over ${spanMs} ms, not over the 2 s asked`);
  });
});

test('answers slower than the spacing do not slow the rate, and their latency counts from when they were due', async () => {
  await withOrderServer(300, async (server) => {
    const result = await runPacedLoad(load(server.url, 50, 1, 64));
    assert.equal(result.accepted, 50);
    // Sent on time although each answer took 300 ms: all 50 arrived within the second, before most answers came.
    const spanMs = server.arrivals.at(-1)! - server.arrivals[0]!;
    assert.ok(spanMs < 1300, `the requests arrived over ${spanMs} ms`);
    assert.ok(result.latencyMs.p50 >= 300, `p50 ${result.latencyMs.p50} ms, below the server's 300 ms`);
  });
});

test('a server that answers too slowly for the rate loses the requests due while a second of them waits', async () => {
  // One connection, 20 ms an answer: at most 50 answers a second against 200 asked for 1.5 s.
  await withOrderServer(20, async (server) => {
    const result = await runPacedLoad(load(server.url, 200, 1.5, 1));
    assert.ok((result.missed ?? 0) > 0, 'no request was missed');
    assert.equal(result.errors, 0);
    assert.equal(result.accepted + result.missed!, 300);
    assert.ok(result.acceptedPerS < 190, `${result.acceptedPerS} accepted per second`);
    // Those waiting for a connection count from when they were due.
    assert.ok(result.latencyMs.max >= 1000, `max ${result.latencyMs.max} ms`);
  });
});
