// Scenarios 1-3 share one shape: 2,000 orders flowing through the shop and its status projection, one actor stopped
// (kill -9 or SIGTERM) when a third of the answers are in, restarted at once on the same port, then the checks.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { waitFor } from '../helpers.js';
import { createFaultShop, limits } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { startLoad, steadyOrders } from './order-load.js';
import type { ExitReport } from './service-process.js';
import { assertStatusExact, statusBehind, statusFigures } from './status-figures.js';

export const loadSettings = { orders: 2000, ratePerS: 300, concurrency: 32 } as const;

export type ActorName = 'payment' | 'shipping' | 'notification' | 'status';

/**
 * Runs the load, stops `actor` the given way a third into it, restarts it, waits until the shop has
 * settled (order_status included), prints the figures and asserts the invariants. Resolves with how the actor ended.
 */
export async function stopActorUnderLoad(
  t: TestContext,
  actor: ActorName,
  how: 'kill' | 'terminate',
): Promise<ExitReport> {
  const { orders, ratePerS, concurrency } = loadSettings;
  const shop = await createFaultShop(t);
  const [url] = await Promise.all([shop.startShop(), shop.start('status')]);
  // Half the payments fail when notification is the one stopped, so that it has work when it goes.
  const failEvery = actor === 'notification' ? 2 : 3;
  const load = startLoad({ url, shots: steadyOrders(`${how}-${actor}`, orders, failEvery), ratePerS, concurrency });

  await waitFor('a third of the answers', () => load.answers.length >= orders / 3, 60000);
  const stoppedAtAnswer = load.answers.length;
  const exit = how === 'kill' ? await shop.process(actor).kill() : await shop.process(actor).terminate();
  const restarted = await shop.spawn(actor);
  const readyMs = await restarted.ready(limits.restartMs);
  const summary = await load.done;
  const prefix = shop.config.topicPrefix;
  const settled = await shop.settle(load.answers, (record) => statusBehind(record, prefix));
  const status = statusFigures(settled.record, prefix);

  const title = `${how === 'kill' ? 'kill -9' : 'SIGTERM'} ${actor}`;
  const figures = orderFigures(title, settled.record, load.answers, {
    load: `${summary.sent} POSTs in ${summary.elapsedMs} ms (${Math.round((summary.sent * 1000) / summary.elapsedMs)}/s), slowest answer ${summary.slowestMs} ms`,
    [`${how === 'kill' ? 'killed' : 'terminated'} at answer`]: stoppedAtAnswer,
    exit: `${exit.signal ?? `code ${exit.code}`} after ${exit.ms} ms`,
    'restart to ready (recovery)': `${readyMs} ms`,
    // The part the group protocol decides: from the process answering /readyz to it holding partitions again.
    'process up to partitions held': `${readyMs - (restarted.upMs() ?? 0)} ms`,
    'end of load to settled': `${settled.ms} ms`,
    'status records': `${status.records} for ${status.orders} orders`,
    'status missing / doubled / rewritten': `${status.missing.length} / ${status.doubled.length} / ${status.rewritten.length}`,
    logs: shop.logDir,
  });
  printFigures(figures);
  assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
  assert.equal(figures.accepted, orders, 'every order was answered 201');
  assertNothingLostOrDoubled(figures);
  assertStatusExact(status);
  return exit;
}
