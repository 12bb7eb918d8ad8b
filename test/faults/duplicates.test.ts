// Fault scenario 7: duplicate POSTs of one OrderId -- two racing at once, one a moment later, and one after the
// payment actor restarted (its memory rebuilt from Kafka) -- get exactly one payment outcome per order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFaultShop } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures, tallyOrders } from './order-figures.js';
import { startLoad, steadyOrders, type OrderPost } from './order-load.js';

const orders = 300;
const laterBy = 50;

/** Every order as a racing pair; `laterBy` shots on, the same order once more. */
function* racingThenLater(list: OrderPost[]): Generator<OrderPost[]> {
  for (let index = 0; index < list.length + laterBy; index += 1) {
    if (index < list.length) yield [list[index]!, list[index]!];
    if (index >= laterBy) yield [list[index - laterBy]!];
  }
}

test(
  'duplicate POSTs of one OrderId, two racing at once, one later and one after a payment restart, get one payment outcome',
  { timeout: 300000 },
  async (t) => {
    const shop = await createFaultShop(t);
    const url = await shop.startShop();
    const list = [...steadyOrders('dup', orders)].flat();

    const first = startLoad({ url, shots: racingThenLater(list), ratePerS: 200, concurrency: 32 });
    const firstSummary = await first.done;
    const exit = await shop.process('payment').terminate();
    const { readyMs } = await shop.start('payment');
    const again = startLoad({ url, shots: list.map((order) => [order]), ratePerS: 200, concurrency: 32 });
    await again.done;
    const answers = [...first.answers, ...again.answers];
    const settled = await shop.settle(answers);

    const tallies = tallyOrders(settled.record);
    const createdVsAccepted = list.filter(({ orderId }) => {
      const accepted = answers.filter((answer) => answer.orderId === orderId && answer.status === 201).length;
      return (tallies.get(orderId)?.created ?? 0) !== accepted;
    });
    const createdPerOrder: Record<string, number> = {};
    for (const { orderId } of list) {
      const created = String(tallies.get(orderId)?.created ?? 0);
      createdPerOrder[created] = (createdPerOrder[created] ?? 0) + 1;
    }
    const figures = orderFigures('duplicates', settled.record, answers, {
      load: `${firstSummary.sent} POSTs (racing pairs, then each again ${laterBy} shots later), then ${again.sent()} after the restart`,
      'order.created per order': Object.entries(createdPerOrder)
        .map(([times, count]) => `${count} orders x${times}`)
        .join(', '),
      'orders whose order.created count differs from their 201 count': createdVsAccepted.length,
      'payment restart': `SIGTERM exit ${exit.signal ?? `code ${exit.code}`} after ${exit.ms} ms, ready again after ${readyMs} ms`,
      'end of load to settled': `${settled.ms} ms`,
      logs: shop.logDir,
    });
    printFigures(figures);
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assert.equal(figures.accepted, orders, 'every order was answered 201');
    assert.deepEqual(figures.answers, { 201: orders * 4 }, 'every POST was answered 201');
    assert.deepEqual(createdVsAccepted, [], 'one order.created per 201');
    assertNothingLostOrDoubled(figures);
  },
);
