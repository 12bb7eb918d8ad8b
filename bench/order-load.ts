// HTTP load on POST /order with autocannon: full speed on keep-alive connections, or a fixed overall rate.
// Every request carries its own OrderId and X-Request-Id, so the harness can follow each order through Kafka.
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** Requests per second over all connections; full speed when absent. */
  overallRate?: number;
  /**
   * autocannon's rate limit sends each connection's quota for a second as a burst at the start of that second.
   * With `rateSlices` > 1 the load is split over that many autocannon instances started 1/slices s apart,
   * which spreads the bursts over the second. 1 is plain autocannon.
   */
  rateSlices?: number;
  nextOrder(): OrderRequest;
  /** Called when a request is about to be written. */
  onSent?(id: string): void;
  /** Called with the orderId of every 201 answer. */
  onAccepted?(orderId: string): void;
}

export interface LoadResult {
  elapsedS: number;
  responses: number;
  /** 2xx answers. */
  accepted: number;
  acceptedPerS: number;
  /** Latency of the 2xx answers, from writing the request to reading the whole answer. */
  latencyMs: Percentiles;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (requests without an answer). */
  errors: number;
  timeouts: number;
}

/** Slice `index`'s share of `rate`: whole numbers that add up to `rate` (at least 1 each). */
const sliceRate = (rate: number, slices: number, index: number): number =>
  Math.max(1, Math.floor(rate / slices) + (index < rate % slices ? 1 : 0));

/** Runs the load and resolves when every autocannon instance is done. */
export async function runOrderLoad(options: LoadOptions): Promise<LoadResult> {
  const slices = options.overallRate ? Math.max(1, options.rateSlices ?? 1) : 1;
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
  const runSlice = async (index: number): Promise<autocannon.Result> => {
    await sleep((index * 1000) / slices);
    const instance = autocannon({
      url: options.url,
      connections: Math.ceil(options.connections / slices),
      duration: options.durationS,
      ...(options.overallRate ? { overallRate: sliceRate(Math.round(options.overallRate), slices, index) } : {}),
      requests: [request],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      responses += 1;
      if (status >= 200 && status < 300) latencies.add(milliseconds);
    });
    return instance;
  };
  const started = performance.now();
  try {
    const results = await Promise.all(Array.from({ length: slices }, (_, index) => runSlice(index)));
    const elapsedS = (performance.now() - started) / 1000;
    const statuses: Record<string, number> = {};
    for (const result of results) {
      for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
        statuses[status] = (statuses[status] ?? 0) + count;
      }
    }
    const sum = (pick: (result: autocannon.Result) => number): number => results.reduce((n, r) => n + pick(r), 0);
    const accepted = sum((result) => result['2xx']);
    return {
      elapsedS: Math.round(elapsedS * 100) / 100,
      responses,
      accepted,
      // Each autocannon instance stops after durationS; the elapsed time also holds the stagger and connecting.
      acceptedPerS: Math.round(accepted / options.durationS),
      latencyMs: latencies.percentiles(),
      statuses,
      errors: sum((result) => result.errors),
      timeouts: sum((result) => result.timeouts),
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
