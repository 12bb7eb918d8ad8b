// Fault scenario: kill -9 of the status actor while 2,000 orders are flowing, restarted at once: every order's
// status record holds exactly its events, each once, and no event was folded into a record twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers.js';
import { createFaultShop, limits } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { startLoad, steadyOrders } from './order-load.js';
import { assertStatusExact, statusBehind, statusFigures } from './status-figures.js';
import { loadSettings } from './stop-under-load.js';

test(
  'kill -9 of the status actor under load and a restart lose and double no event in order_status',
  { timeout: 300000 },
  async (t) => {
    const { orders, ratePerS, concurrency } = loadSettings;
    const shop = await createFaultShop(t);
    const [url] = await Promise.all([shop.startShop(), shop.start('status')]);
    const load = startLoad({ url, shots: steadyOrders('kill-status', orders, 2), ratePerS, concurrency });

    await waitFor('a third of the answers', () => load.answers.length >= orders / 3, 60000);
    const stoppedAtAnswer = load.answers.length;
    const exit = await shop.process('status').kill();
    const restarted = await shop.spawn('status');
    const readyMs = await restarted.ready(limits.restartMs);
    const summary = await load.done;
    const prefix = shop.config.topicPrefix;
    const settled = await shop.settle(load.answers, (record) => statusBehind(record, prefix));

    const status = statusFigures(settled.record, prefix);
    const figures = orderFigures('kill -9 status', settled.record, load.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
      'killed at answer': stoppedAtAnswer,
      exit: `${exit.signal ?? `code ${exit.code}`} after ${exit.ms} ms`,
      'restart to ready (recovery)': `${readyMs} ms`,
      'end of load to settled': `${settled.ms} ms`,
      'status records': `${status.records} for ${status.orders} orders`,
      'status missing / doubled / rewritten': `${status.missing.length} / ${status.doubled.length} / ${status.rewritten.length}`,
      logs: shop.logDir,
    });
    printFigures(figures);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assertNothingLostOrDoubled(figures);
    assertStatusExact(status);
  },
);
