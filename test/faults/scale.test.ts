// Fault scenario 5: the payment actor scaled 1 -> 3 -> 1 instances (each on its own health port, so its own
// transactional id) while 4,000 orders flow, every fourth posted again a moment later: partitions move twice, a
// duplicate may reach another instance than its first copy, and nothing is lost or paid twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topicDefinitions } from '../../src/contracts/topics.js';
import { waitFor } from '../helpers.js';
import { createFaultShop, limits } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { startLoad, steadyOrders, withRepeats } from './order-load.js';
import { loadSettings } from './stop-under-load.js';

const cleanExitWithinMs = 10000;
// More than the kill tests: the rebalance onto new members takes seconds, and the three should work a while.
const orders = 4000;
// Every fourth order again, 600 shots (about two seconds) later.
const [repeatEvery, repeatLaterBy] = [4, 600];

test('scaling the payment actor 1 -> 3 -> 1 under load loses and doubles no order', { timeout: 300000 }, async (t) => {
  const { ratePerS, concurrency } = loadSettings;
  const shop = await createFaultShop(t);
  const url = await shop.startShop();
  const shots = withRepeats(steadyOrders('scale', orders), repeatEvery, repeatLaterBy);
  const load = startLoad({ url, shots, ratePerS, concurrency });

  await waitFor('a tenth of the answers', () => load.answers.length >= orders / 10, 60000);
  const scaledUpAt = load.answers.length;
  // Ready means the instance has partitions: the group has been rebalanced onto three members.
  const added = await Promise.all([shop.start('payment', 'payment-2'), shop.start('payment', 'payment-3')]);
  const readyAt = load.answers.length;
  await waitFor(
    'orders paid by three instances',
    () => load.answers.length >= Math.min(readyAt + 800, orders - 300),
    60000,
  );
  const scaledDownAt = load.answers.length;
  const scaledDown = performance.now();
  const exits = await Promise.all(added.map(({ process }) => process.terminate()));
  // The two that left said so to the group: payment-1 gets their partitions without waiting for a session timeout.
  const partitions = topicDefinitions().find(({ name }) => name === 'order_created')!.partitions;
  await waitFor(
    `payment-1 holding all ${partitions} partitions again`,
    async () => (await shop.process('payment').assigned()) === partitions,
    limits.restartMs,
  );
  const handedOverMs = Math.round(performance.now() - scaledDown);
  const summary = await load.done;
  const settled = await shop.settle(load.answers);

  const figures = orderFigures('scale payment 1 -> 3 -> 1', settled.record, load.answers, {
    load: `${summary.sent} POSTs (every ${repeatEvery}th order twice) in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
    'scaled up at answer': `${scaledUpAt}, instances ready (with partitions) after ${added.map(({ readyMs }) => `${readyMs} ms`).join(', ')}, at answer ${readyAt}`,
    'scaled down at answer': `${scaledDownAt}, SIGTERM exits ${exits.map((exit) => `${exit.signal ?? `code ${exit.code}`} after ${exit.ms} ms`).join(', ')}`,
    'SIGTERM to payment-1 holding every partition': `${handedOverMs} ms`,
    'payment-1 alive throughout': shop.process('payment').alive() ? 'yes' : 'NO',
    'end of load to settled': `${settled.ms} ms`,
    logs: shop.logDir,
  });
  printFigures(figures);
  for (const exit of exits) {
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'clean exit');
    assert.ok(exit.ms < cleanExitWithinMs, `exited after ${exit.ms} ms`);
  }
  assert.ok(shop.process('payment').alive(), 'payment-1 kept running');
  assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
  assert.equal(figures.accepted, orders, 'every order was answered 201');
  assertNothingLostOrDoubled(figures);
});
