// The projection lag of the pipeline step: for one order in `sampleEvery`, the time from the bench reading its
// terminal event (read_committed) to the order service serving its settled record at GET /orders/:id (isSettled).
import { isSettled, type OrderStatus } from '../src/contracts/order-status.js';
import { Samples, type Percentiles } from './samples.js';

/** The projection lag of a run. */
export interface ProjectionLag {
  /** One order in this many had its status fetched. */
  sampleEvery: number;
  /** Terminal event read -> 200 with the settled record; `count` is the sample size. */
  lagMs: Percentiles;
  /** Sampled orders not served settled within the wait (timeout, error or other answer). */
  unserved: number;
}

/** Counts the terminal events read and times the status of every `sampleEvery`-th one. */
export interface ProjectionLagProbe {
  /** The bench read the terminal event of `orderId` at `readAt` (performance.now()). */
  terminalRead(orderId: string, readAt: number): void;
  /** Waits for the answers still pending, then the figures. */
  settle(): Promise<ProjectionLag>;
}

// Long enough for the drain at the end of a loaded run; within the API's 30 s maximum.
const waitMs = 20000;

/** True when GET /orders/:id?wait=terminal answers 200 with the order settled (a terminal status, its history whole). */
export async function servedTerminal(baseUrl: string, orderId: string, timeoutMs = waitMs): Promise<boolean> {
  const url = `${baseUrl}/orders/${encodeURIComponent(orderId)}?wait=terminal&timeout=${timeoutMs}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs + 5000) });
  if (response.status !== 200) {
    await response.body?.cancel();
    return false;
  }
  const { status, history } = (await response.json()) as Partial<OrderStatus>;
  return status !== undefined && Array.isArray(history) && isSettled({ status, history });
}

/**
 * Times the projection of one order in `sampleEvery` against the order service at `baseUrl`: a GET with
 * `wait=terminal` is sent the moment the bench reads the terminal event, so it is one request per sample, no poll.
 * @example const probe = projectionLagProbe(url, 25); probe.terminalRead(id, performance.now()); await probe.settle();
 */
export function projectionLagProbe(baseUrl: string, sampleEvery: number): ProjectionLagProbe {
  const lags = new Samples();
  const pending = new Set<Promise<void>>();
  let read = 0;
  let unserved = 0;
  return {
    terminalRead(orderId, readAt) {
      if (read++ % sampleEvery !== 0) return;
      const answered = servedTerminal(baseUrl, orderId).then(
        (served) => (served ? lags.add(performance.now() - readAt) : (unserved += 1)),
        () => (unserved += 1),
      );
      const done = answered.then(() => void pending.delete(done));
      pending.add(done);
    },
    async settle() {
      await Promise.all(pending);
      return { sampleEvery, lagMs: lags.percentiles(), unserved };
    },
  };
}
