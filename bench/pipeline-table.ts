// Steps 4 and 6 in the results: step 4's rows of the main table (capacity, latency at fractions of it), and their
// own sections (the search, the curve and its chart, the cost per order, the peer's settings). Step 6's rows: peer-table.ts.
import type { BenchResults } from './bench-results.js';
import { sustained, verdictOf } from './capacity.js';
import type { WindowResult } from './pipeline.js';
import { ms, number, otherAnswers, rounded, share, times, triple, verdict } from './table-format.js';

export type Row = string[];
/** A row of the main table: step, figure, measured, then ceiling, ratio, target and verdict (blank if not given). */
export const cells = (step: string, figure: string, measured: string, ...rest: string[]): Row => [
  step,
  figure,
  measured,
  ...[...rest, '', '', '', ''].slice(0, 4),
];
const pointAt = (results: BenchResults, fraction: number): WindowResult | undefined =>
  results.pipeline.curve.find((point) => point.fraction === fraction)?.window;

/** Step 4's rows of the main table. */
export function pipelineRows(results: BenchResults): Row[] {
  const { pipeline, orders } = results;
  const postRate = orders.full.acceptedPerS;
  const { confirmation } = pipeline;
  const found = `${number(pipeline.ordersPerS)} orders/s${pipeline.confirmed ? '' : ' (not confirmed)'}`;
  const rows = [
    cells(
      '4',
      `pipeline capacity: sustained for ${results.settings.confirmS} s (see step 4 below)`,
      found,
      `${number(postRate)} orders/s (3)`,
      share(pipeline.ordersPerS, postRate),
      '≥ 60%',
      verdict(pipeline.confirmed && pipeline.ordersPerS >= postRate * 0.6),
    ),
  ];
  // The same pipeline at a few orders a second, evenly spaced: two transactions in a row, little else.
  const { unloaded } = pipeline;
  const floor = `${rounded(unloaded.endToEndMs.p50)} / ${rounded(unloaded.endToEndMs.p99)} ms unloaded (${number(unloaded.load.acceptedPerS)} orders/s)`;
  for (const [fraction, goal] of [
    [0.25, 50],
    [0.5, 100],
  ] as const) {
    const point = pointAt(results, fraction);
    if (!point) continue;
    rows.push(
      cells(
        '4',
        `end-to-end p50 / p99 / p99.9 at ${fraction * 100}% of capacity (${number(point.load.acceptedPerS)} orders/s)`,
        triple(point.endToEndMs),
        floor,
        `${times(point.endToEndMs.p50, unloaded.endToEndMs.p50)} at p50`,
        `p99 < ${goal} ms`,
        verdict(point.endToEndMs.count > 0 && point.endToEndMs.p99 < goal),
      ),
    );
  }
  const drain = confirmation.drainMs;
  rows.push(
    cells(
      '4',
      'at capacity: answers other than 201; drain after the load stops',
      `${otherAnswers(confirmation.load)}; ${drain === null ? 'not drained' : ms(drain)}`,
      '',
      '',
      '< 5 s',
      verdict(drain !== null && drain < 5000),
    ),
  );
  const half = pointAt(results, 0.5);
  if (half?.projectionLag) {
    const { sampleEvery, lagMs, unserved } = half.projectionLag;
    const notServed = unserved > 0 ? `; ${number(unserved)} not served terminal` : '';
    rows.push(
      cells(
        '4',
        `projection lag at 50%: terminal event read to GET /orders/:id terminal, p50 / p99 / max (1 order in ${sampleEvery})`,
        `${ms(lagMs.p50)} / ${ms(lagMs.p99)} / ${ms(lagMs.max)}; n = ${number(lagMs.count)}${notServed}`,
      ),
    );
  }
  return rows;
}

const hop = ({ p50, p99 }: { p50: number; p99: number }): string => `${rounded(p50)} / ${rounded(p99)}`;

/** The sections under the main table: the capacity search, the curve and its chart, the cost, the peer. */
export function pipelineSections(results: BenchResults, chartFile: string): string[] {
  const { pipeline, peer } = results;
  const probeLines = [
    ...pipeline.probes.map(({ rate, window }) => ({ rate, window })),
    {
      rate: pipeline.confirmation.rate,
      window: pipeline.confirmation,
    },
  ].map(({ rate, window }) => {
    const { sustained: held, why } = verdictOf(window);
    return `| ${window.label} | ${number(rate)} | ${number(window.load.acceptedPerS)} | ${number(window.carriedPerS)} | ${held ? 'yes' : 'no'} | ${why} |`;
  });
  const curveLines = [
    { name: 'unloaded', window: pipeline.unloaded },
    ...pipeline.curve.map(({ fraction, window }) => ({ name: `${fraction * 100}%`, window })),
    {
      name: 'capacity',
      window: pipeline.confirmation,
    },
  ].map(({ name, window: w }) => {
    const lag = Object.values(w.highestLag).map(number).join(' / ');
    const drain = w.drainMs === null ? 'not drained' : ms(w.drainMs);
    const committed = `${number(w.transactions.perS)} (${rounded(w.transactions.eventsPerTransaction)})`;
    return `| ${name} | ${number(w.load.acceptedPerS)} | ${triple(w.endToEndMs)} | ${hop(w.orderMs)} | ${hop(w.paymentMs)} | ${hop(w.fulfilmentMs)} | ${hop(w.visibleMs)} | ${lag} | ${drain} | ${rounded(w.machineCores)} | ${committed} |`;
  });
  const half = pipeline.curve.find(({ fraction }) => fraction === 0.5)?.window;
  const cost = half
    ? [
        `Cost per order at 50% of capacity (${number(half.load.acceptedPerS)} orders/s, ${half.windowS} s of load and drain): CPU ms per order`,
        `${Object.entries(half.cpuMsPerOrder)
          .filter(([name]) => name !== 'machine')
          .map(([name, cpuMs]) => `${name} ${rounded(cpuMs)}`)
          .join(', ')} (whole machine ${rounded(half.cpuMsPerOrder.machine ?? 0)}). The actors committed`,
        `${number(half.transactions.perS)} transactions/s to the broker, ${rounded(half.transactions.eventsPerTransaction)} input events per transaction on average (` +
          `${Object.entries(half.transactions.byActor)
            .map(([name, { transactions, events }]) => `${name} ${rounded(events / Math.max(1, transactions))}`)
            .join(', ')}; from the actors' own metrics).`,
      ]
    : [];
  return [
    `## Step 4: capacity, latency curve, cost per order`,
    '',
    `Sustained = accepted ≥ ${sustained.acceptedShare * 100}% of the rate asked with no other answer, every actor group's lag together under ${sustained.lagBoundS} s of orders when the load stops, and the drain under ${number(sustained.drainBoundMs)} ms. The search starts at half the POST-only rate (${number(pipeline.estimate)} orders/s); carried = orders finished per second over the second half of the load, which steers the next probe after one fails.`,
    '',
    '| window | asked (orders/s) | accepted (orders/s) | carried (orders/s) | sustained | why |',
    '| ------ | ---------------: | ------------------: | -----------------: | --------- | --- |',
    ...probeLines,
    '',
    `![End-to-end latency against the order rate](${chartFile})`,
    '',
    `Hops from the events' \`time\` attributes, p50 / p99 in ms: order = POST due → order.created; payment = → payment outcome; fulfilment = → order.shipped or notification.sent; visible = → read by a read_committed reader. Cores: the whole machine's (of ${results.machine.cpus}, the bench's own load and reader included) over the load and drain; transactions: the actors' per second, with their input events each on average (the broker's work follows the transactions).`,
    '',
    '| point | orders/s | end-to-end p50 / p99 / p99.9 | order | payment | fulfilment | visible | highest lag: payment / shipping / notification / status | drain | cores | transactions/s (events each) |',
    '| ----- | -------: | ---------------------------- | ----- | ------- | ---------- | ------- | ---------------------------------------------------------- | ----: | ----: | ---------------------------: |',
    ...curveLines,
    '',
    ...cost,
    '',
    '## Step 6: the Kafka Streams peer',
    '',
    `Warmed up on ${number(peer.warmupEvents)} events in the same JVM (heap ${results.settings.PEER_HEAP}) before it was timed; startup to ready ${number(peer.startupMs)} ms. Its settings: ${
      Object.entries(peer.settings)
        .filter(([key]) => !['application.id', 'bootstrap.servers'].includes(key))
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', ') || 'not printed'
    }; the rest at Kafka Streams 4.1's defaults (bench/README.md lists what differs from the actor).`,
    '',
  ];
}
