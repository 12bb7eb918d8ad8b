// Cluster scenario 3: a rolling restart under steady load. Each broker in turn is stopped (SIGTERM: a controlled
// shutdown), started again, and waited for until every replica is back in sync; no order is lost or doubled, and
// the only 5xx answers are 503s within the ack bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { topic, topicNames } from '../../src/contracts/topics.js';
import { waitFor } from '../helpers.js';
import { assertNothingLostOrDoubled, orderFigures, printFigures } from '../faults/order-figures.js';
import { countStatuses, startLoad, steadyOrders } from '../faults/order-load.js';
import { clusterControlUnavailable, internalTopics, nodeCommand, nodes, waitInSync } from './cluster-control.js';
import { ackTimeoutMs, answerSlackMs, clusterShop } from './cluster-shop.js';

test(
  'a rolling restart of the three brokers under steady load loses and doubles no order, with no 5xx but bounded 503s',
  { timeout: 480000, skip: clusterControlUnavailable() },
  async (t) => {
    const { shop, admin, url, actors } = await clusterShop(t);
    const topics = [...topicNames.map((name) => topic(shop.config.topicPrefix, name)), ...internalTopics];
    await waitInSync(admin, topics);

    const load = startLoad({
      url,
      shots: steadyOrders('cluster-roll', Number.MAX_SAFE_INTEGER),
      // Steady, not full speed: the roll's length is the brokers' restarts, the orders only need to keep coming.
      ratePerS: 25,
      concurrency: 300,
      requestTimeoutMs: 30000,
    });
    await waitFor('50 answers before the roll', () => load.answers.length >= 50, 60000);
    const rollAt = load.elapsed();
    const steps: string[] = [];
    for (const node of nodes) {
      const stopMs = await nodeCommand(node, 'stop');
      const startMs = await nodeCommand(node, 'start');
      const inSyncMs = await waitInSync(admin, topics);
      steps.push(
        `broker ${node}: stopped in ${stopMs} ms, answering after ${startMs} ms, in sync after ${inSyncMs} ms`,
      );
    }
    const rollMs = Math.round(load.elapsed() - rollAt);
    await waitFor(
      '50 answers after the roll',
      () => load.answers.filter(({ sentAt }) => sentAt > rollAt + rollMs).length >= 50,
      60000,
    );
    load.stop();
    const summary = await load.done;
    const settled = await shop.settle(load.answers);

    const during = load.answers.filter(({ sentAt }) => sentAt >= rollAt && sentAt <= rollAt + rollMs);
    const bound = ackTimeoutMs + answerSlackMs;
    const slow = load.answers.filter(({ ms }) => ms > bound);
    const figures = orderFigures('cluster: rolling restart', settled.record, load.answers, {
      load: `${summary.sent} POSTs in ${summary.elapsedMs} ms, slowest answer ${summary.slowestMs} ms`,
      roll: `${rollMs} ms for the three brokers; ${steps.join('; ')}`,
      'answers to POSTs sent during the roll': JSON.stringify(countStatuses(during)),
      'answers slower than the bound': `${slow.length} (bound ${ackTimeoutMs} + ${answerSlackMs} ms)`,
      'actors alive': actors.map((actor) => `${actor.spec.label} ${actor.alive() ? 'yes' : 'NO'}`).join(', '),
      'end of load to settled': `${settled.ms} ms`,
      logs: shop.logDir,
    });
    printFigures(figures);

    const statuses = Object.keys(countStatuses(load.answers)).filter((status) => status !== '201' && status !== '503');
    assert.deepEqual(statuses, [], 'no answer but 201 and 503 (and every POST got one)');
    assert.equal(slow.length, 0, `answers slower than ${bound} ms`);
    assert.ok(
      actors.every((actor) => actor.alive()),
      'no actor exited',
    );
    assert.ok(settled.settled, `not settled: ${settled.waitingFor.slice(0, 10).join('; ')}`);
    assertNothingLostOrDoubled(figures);
  },
);
