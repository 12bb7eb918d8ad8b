// The actors' health endpoints (GET /healthz, GET /readyz) and their GET /metrics on a bare node:http server:
// three routes do not need a framework, and Koa stays the order service's alone.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthState {
  ready: boolean;
  detail: Record<string, unknown>;
}

/** A Prometheus registry as /metrics uses it (prom-client's Registry is one). */
export interface Exposition {
  contentType: string;
  metrics(): Promise<string>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` (the process is alive), `/readyz` (200 when `state().ready`, else 503) and, given an
 * `exposition`, `/metrics` in the Prometheus text format.
 */
export async function startHealthServer(
  host: string,
  port: number,
  state: () => HealthState,
  exposition?: Exposition,
): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const answer = (status: number, body: Record<string, unknown>): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return answer(405, { status: 'error', message: 'Method not allowed' });
    if (path === '/healthz') return answer(200, { status: 'ok' });
    if (path === '/readyz') {
      const { ready, detail } = state();
      return answer(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...detail });
    }
    if (path === '/metrics' && exposition !== undefined) {
      void exposition.metrics().then(
        (text) => response.writeHead(200, { 'content-type': exposition.contentType }).end(text),
        () => answer(500, { status: 'error', message: 'Internal server error' }),
      );
      return;
    }
    return answer(404, { status: 'error', message: `No route for ${request.method} ${path}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
