// A steady order rate, as the field measures one (wrk2, k6's constant arrival rate): request i is due at i / rate
// seconds, is sent at that moment whatever the earlier ones are doing (open loop), and its latency counts from when
// it was due, so a slow answer cannot hide the requests that waited behind it. On keep-alive connections (Node's
// own http agent); a request due while every connection is busy waits for one, and one due while a second's worth
// already waits is not sent (missed): the rate reached then falls below the rate asked, as the capacity criterion
// needs. The fault tests' load (test/faults/order-load.ts) paces too, but it holds a request until one of its
// connections is free and times it from then, and keeps every answer: right for checking what users saw, not for
// a latency at a rate.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadOptions, LoadResult } from './order-load.js';
import { showProgress } from './progress.js';
import { Samples } from './samples.js';

// An answer not read within this long counts as a timeout (autocannon's default too).
const answerTimeoutMs = 10000;

type Answer = { status: number; body: string } | { failed: 'timeout' | 'error' };

function post(agent: Agent, url: URL, body: string, requestId: string): Promise<Answer> {
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: answerTimeoutMs,
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', () => resolve({ failed: 'error' }));
      },
    );
    outgoing.on('timeout', () => {
      resolve({ failed: 'timeout' });
      outgoing.destroy();
    });
    outgoing.on('error', () => resolve({ failed: 'error' }));
    outgoing.end(body);
  });
}

/**
 * `options.rate` orders per second, evenly spaced, for `options.durationS`; resolves once every request sent has its
 * answer (or timed out). Not autocannon's rate limit: it sends each connection's quota for a second as one burst.
 */
export async function runPacedLoad(options: LoadOptions & { rate: number }): Promise<LoadResult> {
  const { rate, durationS } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL('/order', options.url);
  const latencies = new Samples();
  const statuses: Record<string, number> = {};
  const answers: Promise<void>[] = [];
  let [responses, accepted, errors, timeouts, missed, waiting] = [0, 0, 0, 0, 0, 0];
  const stopProgress = showProgress(
    options.label,
    () => `${responses} answers, ${waiting} waiting, ${missed} not sent`,
  );
  const send = (dueAt: number): void => {
    if (waiting >= options.connections + rate) {
      missed += 1;
      return;
    }
    const order = options.nextOrder();
    options.onSent?.(order.id, performance.timeOrigin + dueAt);
    waiting += 1;
    const answered = post(agent, url, order.body, order.id).then((answer) => {
      waiting -= 1;
      if ('failed' in answer) {
        if (answer.failed === 'timeout') timeouts += 1;
        else errors += 1;
        return;
      }
      const { status, body } = answer;
      responses += 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status < 200 || status >= 300) return;
      accepted += 1;
      latencies.add(performance.now() - dueAt);
      if (status === 201) options.onAccepted?.((JSON.parse(body) as { orderId: string }).orderId);
    });
    answers.push(answered);
  };
  const started = performance.now();
  const total = Math.round(rate * durationS);
  const intervalMs = 1000 / rate;
  try {
    for (let next = 0; next < total;) {
      // Every request due by now goes out, late ones first: a late timer does not thin out the rate.
      const now = performance.now();
      while (next < total && started + next * intervalMs <= now) send(started + next++ * intervalMs);
      if (next < total) await sleep(Math.max(0, started + next * intervalMs - performance.now()));
    }
    await Promise.all(answers);
  } finally {
    stopProgress();
    agent.destroy();
  }
  return {
    elapsedS: Math.round((performance.now() - started) / 10) / 100,
    responses,
    accepted,
    acceptedPerS: Math.round(accepted / durationS),
    latencyMs: latencies.percentiles(),
    statuses,
    errors: errors + timeouts,
    timeouts,
    missed,
  };
}
