// HTTP load on POST /order at full speed on keep-alive connections (autocannon; a steady rate: paced-load.ts).
// Every request carries its own OrderId and X-Request-Id, so the harness can follow each order through Kafka.
import autocannon from 'autocannon';
import { openWindow, type WatchedProcess } from './measured-windows.js';
import { orderRequests, type OrderRequest } from './order-events.js';
import { showProgress } from './progress.js';
import { Samples, type Percentiles } from './samples.js';

export interface LoadOptions {
  label: string;
  /** Base URL of the server, e.g. `http://127.0.0.1:5001`. */
  url: string;
  connections: number;
  durationS: number;
  nextOrder(): OrderRequest;
  /** Called when a request is about to be written; a steady load also tells when it was due (epoch ms). */
  onSent?(id: string, dueAt?: number): void;
  /** Called with the orderId of every 201 answer. */
  onAccepted?(orderId: string): void;
}

export interface LoadResult {
  elapsedS: number;
  responses: number;
  /** 2xx answers. */
  accepted: number;
  acceptedPerS: number;
  /** Latency of the 2xx answers, from writing the request (at a steady rate: from when it was due) to its answer. */
  latencyMs: Percentiles;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Requests without an answer: connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** At a steady rate (runPacedLoad): requests not sent because a second's worth of them waited for an answer. */
  missed?: number;
}

/** Full speed on `options.connections` keep-alive connections for `options.durationS`, with autocannon. */
export async function runOrderLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Samples();
  let responses = 0;
  let previous = { responses: 0, at: performance.now() };
  const stopProgress = showProgress(options.label, () => {
    const now = { responses, at: performance.now() };
    const perS = ((now.responses - previous.responses) * 1000) / (now.at - previous.at);
    previous = now;
    return `${responses} answers, ${Math.round(perS)} per second lately`;
  });
  const request: autocannon.Request = {
    method: 'POST',
    path: '/order',
    headers: { 'content-type': 'application/json' },
    setupRequest: (built) => {
      const order = options.nextOrder();
      options.onSent?.(order.id);
      return { ...built, body: order.body, headers: { ...built.headers, 'x-request-id': order.id } };
    },
    ...(options.onAccepted
      ? {
          onResponse: (status: number, body: string) => {
            if (status === 201) options.onAccepted!((JSON.parse(body) as { orderId: string }).orderId);
          },
        }
      : {}),
  };
  const started = performance.now();
  try {
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.durationS,
      requests: [request],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      responses += 1;
      if (status >= 200 && status < 300) latencies.add(milliseconds);
    });
    const result = await instance;
    const statuses: Record<string, number> = {};
    for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = count;
    return {
      elapsedS: Math.round((performance.now() - started) / 10) / 100,
      responses,
      accepted: result['2xx'],
      // autocannon stops after durationS; the elapsed time also holds connecting.
      acceptedPerS: Math.round(result['2xx'] / options.durationS),
      latencyMs: latencies.percentiles(),
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
    };
  } finally {
    stopProgress();
  }
}

export interface EndpointResult {
  full: LoadResult;
  single: LoadResult;
}

/**
 * A warm-up, then full speed on `connections` for `durationS`, then one connection for `singleS`
 * (the median latency a single client sees).
 */
export async function measureEndpoint(
  label: string,
  url: string,
  plan: { warmupS: number; durationS: number; singleS: number; connections: number },
  /** The server process: its CPU use and profile are taken over the full-speed run. */
  server: WatchedProcess,
): Promise<EndpointResult> {
  const nextOrder = orderRequests(label.replace(/\W+/g, '').toLowerCase() || 'load');
  const base = { url, nextOrder, connections: plan.connections };
  await runOrderLoad({ ...base, label: `${label}: warm-up`, durationS: plan.warmupS });
  const endWindow = openWindow(server.label, [server]);
  const full = await runOrderLoad({
    ...base,
    label: `${label}: ${plan.connections} connections`,
    durationS: plan.durationS,
  });
  endWindow();
  const single = await runOrderLoad({
    ...base,
    label: `${label}: 1 connection`,
    connections: 1,
    durationS: plan.singleS,
  });
  return { full, single };
}
