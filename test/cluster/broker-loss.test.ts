// Cluster scenarios 1 and 2: kill -9 of the broker that leads the most partitions of order_created while 2,000
// orders are posted (every 201 order ends exactly once, POSTs answer 201 or 503), then a second broker stopped
// (one of three left: 503 within the ack bound, min ISR not met), then both started again: the shop recovers
// by itself, and no acknowledged order is lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topic } from '../../src/contracts/topics.js';
import { waitFor } from '../helpers.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from '../faults/order-figures.js';
import { countStatuses, startLoad, steadyOrders, type OrderAnswer } from '../faults/order-load.js';
import { loadSettings } from '../faults/stop-under-load.js';
import {
  busiestLeader,
  clusterControlUnavailable,
  internalTopics,
  nodeCommand,
  nodes,
  waitInSync,
} from './cluster-control.js';
import { ackTimeoutMs, answerSlackMs, clusterShop } from './cluster-shop.js';

const rejectedWhileOneLeft = 100;
const acceptedAfterRestart = 300;

/** Milliseconds from `at` to the first 201 answer of a POST sent after `at`. */
const firstAcceptedAfter = (answers: readonly OrderAnswer[], at: number): number =>
  Math.round(
    Math.min(
      ...answers.filter(({ status, sentAt }) => status === 201 && sentAt >= at).map(({ sentAt, ms }) => sentAt + ms),
    ) - at,
  );

test(
  'kill -9 of the busiest broker under load, then a second broker stopped and both started again, lose and double no order',
  { timeout: 420000, skip: clusterControlUnavailable() },
  async (t) => {
    const { shop, admin, url, actors } = await clusterShop(t);
    const orderCreated = topic(shop.config.topicPrefix, 'order_created');

    // 1. The broker that leads the most partitions of order_created, killed a third into 2,000 orders.
    const { orders, ratePerS, concurrency } = loadSettings;
    const load = startLoad({ url, shots: steadyOrders('cluster-kill', orders), ratePerS, concurrency });
    await waitFor('a third of the answers', () => load.answers.length >= orders / 3, 60000);
    const victim = await busiestLeader(admin, orderCreated);
    const killAt = load.elapsed();
    await nodeCommand(victim.broker, 'kill');
    const summary = await load.done;
    const afterKill = load.answers.filter(({ sentAt }) => sentAt >= killAt);
    const rejected = afterKill.filter(({ status }) => status === 503);
    const settled = await shop.settle(load.answers);
    const killFigures = orderFigures('cluster: kill -9 of the busiest broker', settled.record, load.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
      killed: `broker ${victim.broker}, leader of ${victim.partitions} of 6 partitions of order_created, at answer ${orders / 3}`,
      'first 201 after the kill': `${firstAcceptedAfter(load.answers, killAt)} ms (of a POST sent after it)`,
      'answers to POSTs sent after the kill': JSON.stringify(countStatuses(afterKill)),
      '503 window': rejected.length
        ? `the last 503 was sent ${Math.round(Math.max(...rejected.map(({ sentAt }) => sentAt)) - killAt)} ms after the kill`
        : 'no 503',
      'end of load to settled': `${settled.ms} ms`,
      logs: shop.logDir,
    });
    printFigures(killFigures);
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assert.deepEqual(Object.keys(countStatuses(load.answers)).sort(), rejected.length ? ['201', '503'] : ['201']);
    assertNothingLostOrDoubled(killFigures);

    // 2. A second broker stopped: one of three left, fewer in-sync replicas than min.insync.replicas (2).
    const second = nodes.find((node) => node !== victim.broker)!;
    const outage = startLoad({
      url,
      shots: steadyOrders('cluster-one-left', Number.MAX_SAFE_INTEGER),
      ratePerS: 100,
      // Enough connections that requests waiting out the ack timeout do not hold new ones back.
      concurrency: 300,
      requestTimeoutMs: 30000,
    });
    await waitFor('100 answers before the second broker stops', () => outage.answers.length >= 100, 60000);
    const stopAt = outage.elapsed();
    const stopMs = await nodeCommand(second, 'stop');
    const downAt = outage.elapsed();
    await waitFor(
      `${rejectedWhileOneLeft} answers to POSTs sent with one broker left`,
      () => outage.answers.filter(({ sentAt }) => sentAt >= downAt).length >= rejectedWhileOneLeft,
      60000,
    );
    const startAt = outage.elapsed();
    const startMs = await Promise.all([nodeCommand(victim.broker, 'start'), nodeCommand(second, 'start')]);
    const upAt = outage.elapsed();
    await waitFor(
      `${acceptedAfterRestart} orders accepted after both brokers came back`,
      () =>
        outage.answers.filter(({ status, sentAt }) => status === 201 && sentAt > upAt).length >= acceptedAfterRestart,
      90000,
    );
    outage.stop();
    const outageSummary = await outage.done;
    const recovered = await shop.settle(outage.answers);
    const inSyncMs = await waitInSync(admin, [orderCreated, ...internalTopics]);

    const whileOneLeft = outage.answers.filter(({ sentAt }) => sentAt >= downAt && sentAt + ackTimeoutMs < startAt);
    const bound = ackTimeoutMs + answerSlackMs;
    const slowestOneLeft = whileOneLeft.reduce((max, { ms }) => Math.max(max, ms), 0);
    const outageFigures = orderFigures('cluster: one broker of three left', recovered.record, outage.answers, {
      load: `${outageSummary.sent} POSTs in ${outageSummary.elapsedMs} ms, slowest answer ${outageSummary.slowestMs} ms`,
      brokers: `${victim.broker} killed before, ${second} stopped in ${stopMs} ms at ${Math.round(stopAt)} ms; both started at ${Math.round(startAt)} ms, answering after ${Math.max(...startMs)} ms`,
      'answers to POSTs sent with one broker left': JSON.stringify(countStatuses(whileOneLeft)),
      'slowest answer with one broker left': `${slowestOneLeft} ms (bound ${ackTimeoutMs} + ${answerSlackMs} ms)`,
      'first 201 after both started': `${firstAcceptedAfter(outage.answers, upAt)} ms`,
      'actors alive (never restarted)': actors
        .map((actor) => `${actor.spec.label} ${actor.alive() ? 'yes' : 'NO'}`)
        .join(', '),
      'end of load to settled': `${recovered.ms} ms, then every replica in sync after ${inSyncMs} ms`,
    });
    printFigures(outageFigures);

    assert.ok(whileOneLeft.length > 0, 'orders were posted with one broker left');
    assert.deepEqual(
      countStatuses(whileOneLeft),
      { 503: whileOneLeft.length },
      'every POST with one broker left got 503',
    );
    assert.ok(slowestOneLeft <= bound, `a 503 with one broker left took ${slowestOneLeft} ms, over ${bound} ms`);
    assert.equal(outageFigures.answers.none ?? 0, 0, 'every POST got an HTTP answer');
    assert.ok(
      actors.every((actor) => actor.alive()) && shop.process('order').alive(),
      'no service exited: the shop recovered by itself',
    );
    assert.ok(recovered.settled, `not settled: ${recovered.waitingFor.slice(0, 10).join('; ')}`);
    assertNothingLostOrDoubled(outageFigures);
  },
);
