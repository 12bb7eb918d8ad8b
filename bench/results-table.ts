// The table of a run: one row per figure, next to the ceiling it cannot beat (or the floor, for a latency),
// the ratio, and issue 5's target with where this run stands.
import type { BenchResults } from './bench-results.js';
import type { LoadResult } from './order-load.js';
import type { Percentiles } from './samples.js';

const number = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
/** Two significant decimals under 10, one under 100, none above. */
const rounded = (value: number): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : value < 100 ? 1 : 0 });
const ms = (value: number): string => `${rounded(value)} ms`;
const triple = ({ p50, p99, p999 }: Percentiles): string => `${rounded(p50)} / ${rounded(p99)} / ${rounded(p999)} ms`;
const share = (value: number, ceiling: number): string =>
  ceiling > 0 ? `${Math.round((value / ceiling) * 100)}%` : '-';
const times = (value: number, floor: number): string => (floor > 0 ? `×${rounded(value / floor)}` : '-');
const verdict = (met: boolean): string => (met ? '✓ met' : '✗ not met');

function otherAnswers(load: LoadResult): string {
  const others = Object.entries(load.statuses).filter(([status]) => status !== '201');
  const failures = [
    ...others.map(([status, count]) => `${status}: ${number(count)}`),
    ...(load.errors > 0 ? [`no answer: ${number(load.errors)} (${number(load.timeouts)} timeouts)`] : []),
  ];
  return failures.length > 0 ? failures.join(', ') : 'none';
}

/** The rows of the results table: step, figure, measured, ceiling (or floor), ratio, target, verdict. */
export function resultRows(results: BenchResults): string[][] {
  const { httpCeiling, produceCeiling, transactionCeiling, consumeCeiling, orders, pipeline, settings } = results;
  const rows: string[][] = [];
  const row = (step: string, figure: string, measured: string, ...rest: string[]): void => {
    rows.push([step, figure, measured, ...[...rest, '', '', '', ''].slice(0, 4)]);
  };
  const connections = `${settings.connections} connections`;
  row('1', `bare Koa POST /order, ${connections}`, `${number(httpCeiling.full.acceptedPerS)} req/s`);
  row('1', `bare Koa latency p50 / p99 / p99.9`, triple(httpCeiling.full.latencyMs));
  row('1', 'bare Koa, 1 connection, median', ms(httpCeiling.single.latencyMs.p50));
  const produced = `${number(produceCeiling.perS)} msg/s (ack p50 ${ms(produceCeiling.ackLatencyMs.p50)})`;
  const inFlight = `${produceCeiling.concurrency} awaited sends in flight`;
  row('2', `raw produce, ${inFlight}, ${produceCeiling.messageBytes} B events`, produced);
  const commitP50 = transactionCeiling.commitMs.p50;
  const transactions = `${number(transactionCeiling.perS)} tx/s (commit p50 ${ms(commitP50)})`;
  row('2', 'raw transactions one at a time (1 event + offset each)', transactions);
  const consumed = `${number(consumeCeiling.perS)} msg/s${consumeCeiling.caughtUp ? '' : ' (did not finish)'}`;
  row(
    '2',
    `raw consume, batches of ${settings.ACTOR_BATCH_SIZE}, ${settings.ACTOR_CONCURRENCY} partitions at once`,
    consumed,
  );

  const ordersPerS = orders.full.acceptedPerS;
  const httpRate = httpCeiling.full.acceptedPerS;
  const accepted = `${number(ordersPerS)} orders/s`;
  const halfHttp = verdict(ordersPerS >= httpRate / 2);
  row(
    '3',
    `POST /order accepted, ${connections}`,
    accepted,
    `${number(httpRate)} req/s (1)`,
    share(ordersPerS, httpRate),
    '≥ 50%',
    halfHttp,
  );
  row(
    '3',
    'POST /order accepted vs raw produce',
    accepted,
    `${number(produceCeiling.perS)} msg/s (2)`,
    share(ordersPerS, produceCeiling.perS),
  );
  const floor = httpCeiling.full.latencyMs;
  row(
    '3',
    'POST /order latency p50 / p99 / p99.9',
    triple(orders.full.latencyMs),
    `${triple(floor)} (1)`,
    `${times(orders.full.latencyMs.p50, floor.p50)} at p50`,
  );
  row('3', 'POST /order answers other than 201', otherAnswers(orders.full));
  const single = orders.single.latencyMs.p50;
  const singleFloor = httpCeiling.single.latencyMs.p50;
  row(
    '3',
    'POST /order, 1 connection, median',
    ms(single),
    `${ms(singleFloor)} (1)`,
    times(single, singleFloor),
    '< 5 ms',
    verdict(single < 5),
  );

  const e2e = pipeline.endToEndMs;
  // Each transactional hop (payment, then shipping or notification) commits before its output is visible.
  const e2eFloor = single + 2 * commitP50;
  row(
    '4',
    `pipeline asked for ${number(pipeline.rate)} orders/s (half of 3), got ${number(pipeline.load.acceptedPerS)}/s; POST to terminal event, p50 / p99`,
    `${ms(e2e.p50)} / ${ms(e2e.p99)}`,
    `${ms(e2eFloor)} (3's median + 2 commits of 2)`,
    `${times(e2e.p50, e2eFloor)} at p50`,
    'p99 < 100 ms',
    verdict(e2e.count > 0 && e2e.p99 < 100),
  );
  row(
    '4',
    '… to order.shipped / to notification.sent, p99',
    `${ms(pipeline.shippedMs.p99)} / ${ms(pipeline.notifiedMs.p99)}`,
  );
  row(
    '4',
    'orders accepted during the load; answers other than 201',
    `${number(pipeline.load.accepted)}; ${otherAnswers(pipeline.load)}`,
  );
  row(
    '4',
    'highest consumer lag: payment / shipping / notification',
    Object.values(pipeline.highestLag).map(number).join(' / '),
  );
  const drain = pipeline.drainMs;
  const drained = drain === null ? `not drained (${number(pipeline.unfinished)} unfinished)` : ms(drain);
  row('4', 'drain after the load stops', drained, '', '', '< 5 s', verdict(drain !== null && drain < 5000));
  const { sampleEvery, lagMs, unserved } = pipeline.projectionLag;
  const notServed = unserved > 0 ? `; ${number(unserved)} not served terminal` : '';
  row(
    '4',
    `projection lag: terminal event read to GET /orders/:id terminal, p50 / p99 / max (1 order in ${sampleEvery})`,
    `${ms(lagMs.p50)} / ${ms(lagMs.p99)} / ${ms(lagMs.max)}; n = ${number(lagMs.count)}${notServed}`,
  );

  for (const actor of results.actors) {
    const goal = actor.actor === 'payment' ? 0.3 : 0.5;
    const partial = actor.caughtUp ? '' : ` (over ${actor.seconds} s: ${number(actor.committed)} committed)`;
    row(
      '5',
      `${actor.actor} actor, ${number(actor.preload.events)} events preloaded`,
      `${number(actor.perS)} events/s${partial}`,
      `${number(consumeCeiling.perS)} msg/s (2)`,
      share(actor.perS, consumeCeiling.perS),
      `≥ ${goal * 100}%`,
      verdict(actor.perS >= consumeCeiling.perS * goal),
    );
  }
  return rows;
}
