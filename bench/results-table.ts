// The table of a run: one row per figure, next to the ceiling it cannot beat (or the floor, for a latency),
// the ratio, and the issues' targets (5 and 12) with where this run stands.
import type { BenchResults } from './bench-results.js';
import { peerRows } from './peer-table.js';
import { pipelineRows } from './pipeline-table.js';
import { ms, number, otherAnswers, share, times, triple, verdict } from './table-format.js';

/** The rows of the results table: step, figure, measured, ceiling (or floor), ratio, target, verdict. */
export function resultRows(results: BenchResults): string[][] {
  const { httpCeiling, produceCeiling, transactionCeiling, consumeCeiling, orders, settings } = results;
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

  rows.push(...pipelineRows(results));

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
  rows.push(...peerRows(results));
  return rows;
}
