// What the tests share: polling with a deadline, mocked time moved on in steps, POST /order as a client sends it, a logger that records its
// entries, and a free TCP port. Unit, integration and fault tests use it (and the benchmark, for the port).
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import winston from 'winston';
import type { Logger } from '../src/logger.js';

/**
 * Moves `t`'s mocked timers on by `ms` in steps of `stepMs`, letting pending promises run after each step; stops
 * early once `done()` is true.
 * @example await advanceMockedTime(t, 1000, 250);
 */
export async function advanceMockedTime(t: TestContext, ms: number, stepMs: number, done = () => false): Promise<void> {
  for (let passed = 0; passed < ms && !done(); passed += stepMs) {
    t.mock.timers.tick(stepMs);
    await new Promise(setImmediate);
  }
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than false or undefined, and resolves to that
 * value; fails with `what` after `timeoutMs`.
 * @example await waitFor('the payment', () => shop.on('payment_completed').length === 1);
 * @example const state = await waitFor('healthy', async () => (await inspect(name)).health === 'healthy' && state, 60_000, 1000);
 */
export async function waitFor<T>(
  what: string,
  check: () => T | false | undefined | Promise<T | false | undefined>,
  timeoutMs = 20000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** The whole answer to a POST /order: status, headers, the body as sent and as parsed JSON. */
export interface OrderAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/**
 * POSTs `body` to `url`/order as JSON (a string is sent as it is) and reads the whole answer.
 * @example const answer = await postOrder(url, { OrderId: '123', Amount: 50 }, { 'X-Request-Id': 'req-1' });
 */
export async function postOrder(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<OrderAnswer> {
  const response = await fetch(`${url}/order`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

/** One entry a logger was given: level, message and metadata. */
export type LogEntry = Record<string, unknown>;

/**
 * A winston logger at `level` whose entries land in `entries`, not on the console.
 * @example const { log, entries } = recordingLogger('info');
 */
export function recordingLogger(level = 'debug'): { log: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(entry: LogEntry, _encoding, callback) {
      entries.push(entry);
      callback();
    },
  });
  return { log: winston.createLogger({ level, transports: [new winston.transports.Stream({ stream })] }), entries };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
