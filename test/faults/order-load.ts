// Load on POST /order at a steady rate with bounded concurrency, recording every answer (201, 503, other,
// or no answer at all) per OrderId, so a checker can hold the events on the topics against what users saw.
import { setTimeout as sleep } from 'node:timers/promises';

/** One order as posted. */
export interface OrderPost {
  orderId: string;
  amount: number;
}

/** What one POST got. `status` 0: no HTTP answer (connection error or `requestTimeoutMs` passed). */
export interface OrderAnswer extends OrderPost {
  status: number;
  error?: string;
  /** Milliseconds from the load's start to sending the request. */
  sentAt: number;
  /** Milliseconds from sending the request to reading the whole answer (or giving up). */
  ms: number;
}

export interface LoadOptions {
  /** Base URL of the order service. */
  url: string;
  /**
   * What to post, in order, one shot at a time; the orders of one shot are posted at the same instant (two
   * POSTs of one OrderId racing). May be endless: the load then runs until `stop()`.
   */
  shots: Iterable<OrderPost[]>;
  /** Shots per second. Late shots (all connections busy) go out as soon as a connection is free. */
  ratePerS: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** A request without an answer by then counts as no answer. */
  requestTimeoutMs?: number;
}

export interface LoadSummary {
  sent: number;
  /** Answers by status; `none` for requests that got no HTTP answer. */
  statuses: Record<string, number>;
  elapsedMs: number;
  slowestMs: number;
}

export interface OrderLoad {
  answers: OrderAnswer[];
  /** Requests sent so far. */
  sent(): number;
  /** Milliseconds since the load started. */
  elapsed(): number;
  /** Sends no more shots; `done` resolves when the requests in flight have their answers. */
  stop(): void;
  done: Promise<LoadSummary>;
}

/** `count` orders `<tag>-<n>`, one per shot; every `failEvery`-th amount is above the payment limit (300). */
export function* steadyOrders(tag: string, count: number, failEvery = 3): Generator<OrderPost[]> {
  for (let n = 1; n <= count; n += 1) {
    yield [{ orderId: `${tag}-${n}`, amount: n % failEvery === 0 ? 500 + (n % 100) : 10 + (n % 280) }];
  }
}

/**
 * The shots of `shots`, and every `every`-th order once more `laterBy` shots after it: duplicates that may arrive
 * after its partition moved to another instance.
 */
export function* withRepeats(shots: Iterable<OrderPost[]>, every: number, laterBy: number): Generator<OrderPost[]> {
  const repeats: OrderPost[][] = [];
  let index = 0;
  for (const shot of shots) {
    yield shot;
    index += 1;
    if (index % every === 0) repeats.push(shot);
    if (index > laterBy && (index - laterBy) % every === 0) yield repeats.shift()!;
  }
  yield* repeats;
}

/** The answers summed up by status (`none`: no HTTP answer). */
export function countStatuses(answers: readonly OrderAnswer[]): Record<string, number> {
  const statuses: Record<string, number> = {};
  for (const { status } of answers) {
    const key = status === 0 ? 'none' : String(status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return statuses;
}

async function post(url: string, order: OrderPost, timeoutMs: number): Promise<Pick<OrderAnswer, 'status' | 'error'>> {
  try {
    const response = await fetch(`${url}/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ OrderId: order.orderId, Amount: order.amount }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    return { status: 0, error: (error as Error).message };
  }
}

/**
 * Starts posting at once and returns immediately; `answers` fills up as answers arrive.
 * @example const load = startLoad({ url, shots: steadyOrders('k', 2000), ratePerS: 300, concurrency: 32 });
 */
export function startLoad(options: LoadOptions): OrderLoad {
  const answers: OrderAnswer[] = [];
  const timeoutMs = options.requestTimeoutMs ?? 30000;
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let stopped = false;

  const send = (order: OrderPost): void => {
    const sentAt = elapsed();
    sent += 1;
    const request: Promise<void> = post(options.url, order, timeoutMs)
      .then((answer) => {
        answers.push({ ...order, ...answer, sentAt: Math.round(sentAt), ms: Math.round(elapsed() - sentAt) });
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const run = async (): Promise<LoadSummary> => {
    let index = 0;
    for (const shot of options.shots) {
      if (stopped) break;
      const due = (index * 1000) / options.ratePerS - elapsed();
      if (due > 0) await sleep(due);
      while (inFlight.size + shot.length > Math.max(options.concurrency, shot.length)) await Promise.race(inFlight);
      if (stopped) break;
      for (const order of shot) send(order);
      index += 1;
    }
    await Promise.all(inFlight);
    return {
      sent,
      statuses: countStatuses(answers),
      elapsedMs: Math.round(elapsed()),
      slowestMs: answers.reduce((slowest, { ms }) => Math.max(slowest, ms), 0),
    };
  };

  return {
    answers,
    sent: () => sent,
    elapsed,
    stop: () => {
      stopped = true;
    },
    done: run(),
  };
}
