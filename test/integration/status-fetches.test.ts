// How often the status actor reads, on the real broker: it commits at most every STATUS_COMMIT_INTERVAL_MS and reads
// about as often, so a steady stream of orders does not make the broker answer its fetch at every one of them.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { statusActor } from '../../src/actors/status/handler.js';
import { newGroupClient, type MemberFactory } from '../../src/kafka/group-consumer.js';
import { postOrder, waitFor } from '../helpers.js';
import { createShop } from './shop.js';

interface FetchCount {
  /** librdkafka's clock when it wrote the statistics, in microseconds. */
  atUs: number;
  /** Fetch requests its consumer sent so far, over every broker. */
  fetches: number;
}

/** The Fetch requests counted in one of librdkafka's statistics documents. */
function fetchCount(json: string): FetchCount {
  const statistics = JSON.parse(json) as { ts: number; brokers?: Record<string, { req?: { Fetch?: number } }> };
  const brokers = Object.values(statistics.brokers ?? {});
  return { atUs: statistics.ts, fetches: brokers.reduce((sum, broker) => sum + (broker.req?.Fetch ?? 0), 0) };
}

test("the status actor's consumer fetches about once per STATUS_COMMIT_INTERVAL_MS under a steady stream of orders, not once per order", async (t) => {
  const shop = await createShop(t, { STATISTICS_INTERVAL_MS: '200' });
  const { url } = await shop.startOrderService();
  const counts: FetchCount[] = [];
  const newConsumer: MemberFactory = (settings) => {
    const client = newGroupClient(settings);
    client.on('event.stats', ({ message }: { message: string }) => counts.push(fetchCount(message)));
    return client;
  };
  await shop.startActor(statusActor, { newConsumer });
  const nextCount = async (): Promise<FetchCount> => {
    const seen = counts.length;
    return waitFor('the consumer statistics', () => counts[seen]);
  };

  // The member reads once it folded a first order.
  assert.equal((await postOrder(url, { OrderId: 'sf-first', Amount: 20 })).status, 201);
  await waitFor('the first status record', async () => (await shop.count('order_status')) >= 1);
  const before = await nextCount();
  // 100 orders 20 ms apart: under the old settings each one ended a fetch (about 120 in 2.5 s).
  const orders = 100;
  const started = performance.now();
  for (let index = 0; index < orders; index += 1) {
    const wait = started + index * 20 - performance.now();
    if (wait > 0) await sleep(wait);
    assert.equal((await postOrder(url, { OrderId: `sf-${index}`, Amount: 20 })).status, 201);
  }
  await waitFor('every order folded', async () => (await shop.count('order_status')) >= orders + 1, 30000);
  const after = await nextCount();

  const intervalMs = shop.config.statusCommitIntervalMs;
  const elapsedMs = (after.atUs - before.atUs) / 1000;
  const fetches = after.fetches - before.fetches;
  const bound = Math.ceil((elapsedMs / intervalMs) * 1.5) + 5;
  t.diagnostic(`${fetches} fetches in ${Math.round(elapsedMs)} ms for ${orders} orders`);
  assert.ok(fetches <= bound, `${fetches} fetches in ${Math.round(elapsedMs)} ms, at most ${bound} expected`);
  assert.ok(fetches < orders, `${fetches} fetches for ${orders} orders`);
});
