// Before the pipeline's first window: a few orders prove every actor and the bench's reader are assigned, and that
// the status actor and the order service's table serve them (the table answers 503 until it is loaded).
import { setTimeout as sleep } from 'node:timers/promises';
import { orderRequests } from './order-events.js';
import type { OrderTrails } from './order-trail.js';
import { servedTerminal } from './projection-lag.js';

const warmupOrders = 20;
const warmupCapMs = 30000;

/** Posts the warm-up orders one by one and waits until each reached its terminal event and is served terminal. */
export async function warmUpPipeline(orderUrl: string, trails: OrderTrails): Promise<void> {
  const next = orderRequests('warm');
  const warmups = Array.from({ length: warmupOrders }, next);
  for (const { id, body } of warmups) {
    trails.sent(id);
    const headers = { 'content-type': 'application/json', 'x-request-id': id };
    const response = await fetch(`${orderUrl}/order`, { method: 'POST', headers, body });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`a warm-up order was answered ${response.status}`);
    trails.accepted(id);
  }
  const deadline = performance.now() + warmupCapMs;
  while (trails.unfinished > 0) {
    if (performance.now() > deadline) throw new Error('warm-up orders did not reach a terminal event in 30 s');
    await sleep(20);
  }
  for (const { id } of warmups) {
    while (!(await servedTerminal(orderUrl, id, 1000).catch(() => false))) {
      if (performance.now() > deadline) throw new Error('warm-up orders were not served as terminal in 30 s');
      await sleep(20);
    }
  }
}
