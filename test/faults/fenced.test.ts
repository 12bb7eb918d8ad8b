// A zombie: a second payment instance started with the same ACTOR_INSTANCE_ID (so the same transactional id) while
// orders flow. It fences the first, whose next commit fails for good: the first must end itself at once (SIGKILL:
// a graceful close of that client can hang), the twin takes over, and no order is lost or paid twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers.js';
import { createFaultShop, limits } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { startLoad, steadyOrders } from './order-load.js';
import { loadSettings } from './stop-under-load.js';

// From the twin's start: its start-up, the first's next commit, and a margin for a loaded 2-core machine.
const exitWithinMs = limits.startMs;

test(
  'a payment instance fenced by a twin with its instance id ends itself, and no order is lost or paid twice',
  { timeout: 300000 },
  async (t) => {
    const { orders, ratePerS, concurrency } = loadSettings;
    const shop = await createFaultShop(t);
    const twin = { ACTOR_INSTANCE_ID: 'twin' };
    const [order] = await Promise.all([
      shop.start('order'),
      shop.start('payment', 'payment', twin),
      shop.start('shipping'),
      shop.start('notification'),
    ]);
    const load = startLoad({
      url: `http://127.0.0.1:${order.process.spec.port}`,
      shots: steadyOrders('fenced', orders),
      ratePerS,
      concurrency,
    });

    await waitFor('a third of the answers', () => load.answers.length >= orders / 3, 60000);
    const first = shop.process('payment');
    const startedAtAnswer = load.answers.length;
    const second = await shop.spawn('payment', 'payment-twin', twin);
    const spawnedAt = performance.now();
    await waitFor('the fenced instance to exit', () => !first.alive(), exitWithinMs + 30000);
    const exitMs = Math.round(performance.now() - spawnedAt);
    const exit = await first.exited;
    const readyMs = await second.ready(60000);
    const summary = await load.done;
    const settled = await shop.settle(load.answers);

    const figures = orderFigures('fenced payment twin', settled.record, load.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
      'twin started at answer': startedAtAnswer,
      'fenced instance': `ended by ${exit.signal ?? `exit code ${exit.code}`} ${exitMs} ms after the twin was started`,
      'twin ready (with partitions)': `${readyMs} ms after it was started`,
      'end of load to settled': `${settled.ms} ms`,
      logs: shop.logDir,
    });
    printFigures(figures);
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: null, signal: 'SIGKILL' }, first.logTail());
    assert.ok(exitMs < exitWithinMs, `the fenced instance exited after ${exitMs} ms`);
    assert.match(first.logTail(40), /producer fenced by another instance, exiting/);
    assert.ok(second.alive(), 'the twin kept running');
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assert.equal(figures.accepted, orders, 'every order was answered 201');
    assertNothingLostOrDoubled(figures);
  },
);
