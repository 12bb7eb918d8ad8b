// Fault scenario 4: the broker stopped for 10 s under load and started again. The order endpoint answers
// 503 within its bound while the broker is away (never hangs, never 201 without an acknowledgement), the
// actors reconnect by themselves, and every order that got a 201 reaches its terminal event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../helpers.js';
import { brokerControlUnavailable, startBroker, stopBroker } from './broker-control.js';
import { createFaultShop, faultSettings } from './fault-shop.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from './order-figures.js';
import { countStatuses, startLoad, steadyOrders } from './order-load.js';

// OUTAGE_MS makes it longer by hand: past SESSION_TIMEOUT_MS (30 s, GROUP_PROTOCOL=classic) the actors also lose
// their partitions and rejoin, and their open transactions outlive the coordinator's timeout.
const outageMs = Number(process.env.OUTAGE_MS ?? 10000);
const ackTimeoutMs = Number(faultSettings.ORDER_ACK_TIMEOUT_MS);
// Scheduling on a loaded 2-core machine: what an answer may take beyond the ack timeout.
const answerSlackMs = 1500;
const acceptedAfterRestart = 300;

test(
  `with the broker stopped for ${outageMs / 1000} s under load, POST /order answers 503 within its bound, never 201 without an acknowledgement, and every 201 order reaches its terminal event`,
  { timeout: 300000, skip: brokerControlUnavailable() },
  async (t) => {
    // The stall watchdog checks every 2 s, so that it is at work while the broker is away.
    const shop = await createFaultShop(t, { STALL_TIMEOUT_MS: '8000' });
    const url = await shop.startShop();
    const load = startLoad({
      url,
      shots: steadyOrders('outage', Number.MAX_SAFE_INTEGER),
      ratePerS: 150,
      // Enough connections that requests waiting out the ack timeout do not stop new ones from being sent.
      concurrency: 400,
      requestTimeoutMs: 30000,
    });
    const actors = ['payment', 'shipping', 'notification'].map((label) => shop.process(label));

    await waitFor('300 answers before the outage', () => load.answers.length >= 300, 60000);
    const stopAt = load.elapsed();
    const stopMs = await stopBroker();
    const downAt = load.elapsed();
    // The outage itself, not a synchronisation: the broker stays away this long.
    await sleep(outageMs);
    const startAt = load.elapsed();
    const startMs = await startBroker();
    const upAt = load.elapsed();
    await waitFor(
      `${acceptedAfterRestart} orders accepted after the broker came back`,
      () => load.answers.filter(({ status, sentAt }) => status === 201 && sentAt > upAt).length >= acceptedAfterRestart,
      60000,
    );
    load.stop();
    const summary = await load.done;
    // Waiting the full bound for orders that a dead actor will never finish only delays the verdict.
    const settled = await shop.settle(
      load.answers,
      undefined,
      actors.every((actor) => actor.alive()) ? undefined : 15000,
    );

    // Sent while the broker was surely away, and answered (at the latest) before it was started again.
    const whileAway = load.answers.filter(({ sentAt }) => sentAt >= downAt && sentAt + ackTimeoutMs < startAt);
    const firstAcceptedAfter = Math.min(
      ...load.answers
        .filter(({ status, sentAt }) => status === 201 && sentAt >= downAt)
        .map(({ sentAt, ms }) => sentAt + ms),
    );
    const bound = ackTimeoutMs + answerSlackMs;
    const slow = load.answers.filter(({ ms }) => ms > bound);
    const phases: [number, string][] = [
      [stopAt, 'before the outage'],
      [downAt, 'while the broker stopped'],
      [startAt, 'while it was away'],
      [upAt, 'while it started'],
    ];
    const phase = (at: number): string => phases.find(([until]) => at < until)?.[1] ?? 'after the outage';
    const slowest = load.answers.reduce((max, { ms }) => Math.max(max, ms), 0);
    const slowestAway = whileAway.reduce((max, { ms }) => Math.max(max, ms), 0);
    const figures = orderFigures(`broker stopped ${outageMs / 1000} s`, settled.record, load.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${slowest} ms`,
      broker: `stop asked at ${Math.round(stopAt)} ms, gone after ${stopMs} ms, start asked at ${Math.round(startAt)} ms, answering after ${startMs} ms`,
      'answers to POSTs sent while the broker was away': JSON.stringify(countStatuses(whileAway)),
      'slowest answer while away': `${slowestAway} ms (bound ${ackTimeoutMs} + ${answerSlackMs} ms)`,
      'answers slower than the bound': `${slow.length}${
        slow.length
          ? ` (${slow
              .slice(0, 5)
              .map(({ status, ms, sentAt }) => `${status} after ${ms} ms, sent ${phase(sentAt)}`)
              .join('; ')})`
          : ''
      }`,
      'first 201 after the outage': `${Math.round(firstAcceptedAfter - startAt)} ms after the start was asked`,
      'actors alive': actors.map((actor) => `${actor.spec.label} ${actor.alive() ? 'yes' : 'NO'}`).join(', '),
      'end of load to settled': `${settled.ms} ms`,
      logs: shop.logDir,
    });
    printFigures(figures);

    assert.ok(whileAway.length > 0, 'orders were posted while the broker was away');
    assert.deepEqual(countStatuses(whileAway), { 503: whileAway.length }, 'every POST while away got 503');
    assert.equal(figures.answers.none ?? 0, 0, 'every POST got an HTTP answer');
    assert.equal(slow.length, 0, `answers slower than ${bound} ms`);
    assert.ok(
      actors.every((actor) => actor.alive()),
      'the actors reconnected by themselves (none exited)',
    );
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assertNothingLostOrDoubled(figures);
  },
);
