// Step 6's rows of the results table: the payment actor against its Kafka Streams peer, on the same input and
// broker (the medians of the rounds taken in turns, and each round's ratio), and their single hops.
import type { TimedRate } from './actor-rate.js';
import type { BenchResults } from './bench-results.js';
import { cells, type Row } from './pipeline-table.js';
import { median } from './samples.js';
import { ms, number, rounded, share, times, verdict } from './table-format.js';

type RateFigures = Pick<TimedRate, 'perS' | 'cpuSPer100k'>;

/** Step 6's rows: the payment actor against its Kafka Streams peer, on the same input and broker. */
export function peerRows(results: BenchResults): Row[] {
  const first = results.actors.find((rate) => rate.actor === 'payment');
  if (!first) return [];
  const rounds = results.rounds ?? [{ actor: first, peer: results.peer }];
  const actor = medianRate(rounds.map((round) => round.actor));
  const peer = medianRate(rounds.map((round) => round.peer));
  const perCpu = (rate: RateFigures): number =>
    100_000 / Math.max(0.001, rate.cpuSPer100k.process + rate.cpuSPer100k.broker);
  const cpu = ({ cpuSPer100k }: RateFigures): string =>
    `${rounded(cpuSPer100k.process)} + broker ${rounded(cpuSPer100k.broker)} CPU-s`;
  const unfinished = rounds.some((round) => !round.peer.caughtUp) ? ' (a round did not finish)' : '';
  const ofRounds = rounds.length > 1 ? `, median of ${rounds.length} rounds taken in turns` : '';
  const eachRound = rounds.map((round) => share(round.actor.perS, round.peer.perS)).join(', ');
  return [
    cells(
      '6',
      `payment actor vs Kafka Streams (EOS v2, 1 thread), ${number(results.peer.preload.events)} events preloaded${ofRounds}`,
      `${number(actor.perS)} events/s`,
      `${number(peer.perS)} events/s${unfinished}`,
      share(actor.perS, peer.perS),
      '≥ 60%',
      verdict(actor.perS >= peer.perS * 0.6),
    ),
    cells(
      '6',
      `CPU per 100k events (process + broker): actor vs Kafka Streams${ofRounds}`,
      cpu(actor),
      cpu(peer),
      `${share(perCpu(actor), perCpu(peer))} events per CPU-s`,
      '≥ 100%',
      verdict(perCpu(actor) >= perCpu(peer)),
    ),
    ...(rounds.length > 1
      ? [
          cells(
            '6',
            "… each round, actor / Kafka Streams events/s (round 1: step 5's payment run)",
            rounds.map((round) => number(round.actor.perS)).join(', '),
            rounds.map((round) => number(round.peer.perS)).join(', '),
            eachRound,
          ),
          cells(
            '6',
            '… each round, the actor: CPU-s per 100k events (process + broker); input events per transaction',
            rounds
              .map(({ actor: { cpuSPer100k, eventsPerTransaction } }) => {
                const carried = eventsPerTransaction === undefined ? '' : `; ${rounded(eventsPerTransaction)}`;
                return `${rounded(cpuSPer100k.process)} + ${rounded(cpuSPer100k.broker)}${carried}`;
              })
              .join(', '),
          ),
        ]
      : []),
    ...hopRows(results),
    ...requestRows(results),
  ];
}

/** The median of each figure of `rates` on its own (the middle one, or the mean of the two middle ones). */
function medianRate(rates: TimedRate[]): RateFigures {
  return {
    perS: Math.round(median(rates.map((rate) => rate.perS))),
    cpuSPer100k: {
      process: median(rates.map((rate) => rate.cpuSPer100k.process)),
      broker: median(rates.map((rate) => rate.cpuSPer100k.broker)),
    },
  };
}

function hopRows({ singleHop }: BenchResults): Row[] {
  const { actor, peer } = singleHop;
  const lost = (result: typeof actor): string =>
    result.missing + result.doubled > 0 ? ` (${result.missing} missing, ${result.doubled} doubled)` : '';
  return [
    cells(
      '6',
      `single hop at ${number(actor.ratePerS)} events/s, input written to output read (read_committed), p50 / p99: actor vs Kafka Streams`,
      `${ms(actor.hop.p50)} / ${ms(actor.hop.p99)}${lost(actor)}`,
      `${ms(peer.hop.p50)} / ${ms(peer.hop.p99)}${lost(peer)}`,
      `${times(actor.hop.p50, peer.hop.p50)} / ${times(actor.hop.p99, peer.hop.p99)}`,
      'p50 < 20 ms, p99 < 50 ms',
      verdict(actor.hop.count > 0 && actor.hop.p50 < 20 && actor.hop.p99 < 50),
    ),
    cells(
      '6',
      '… split: written to handled (output `time`) / handled to read, p50: actor vs Kafka Streams',
      `${ms(actor.toHandled.p50)} / ${ms(actor.handledToRead.p50)}`,
      `${ms(peer.toHandled.p50)} / ${ms(peer.handledToRead.p50)}`,
    ),
  ];
}

// The requests that run transactions: the client's calls (AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit,
// EndTxn) and the broker's own (its check that a partition is in the transaction, and the commit markers).
const transactionRequests = [
  'AddPartitionsToTxn',
  'AddPartitionsToTxnVerification',
  'AddOffsetsToTxn',
  'TxnOffsetCommit',
  'EndTxn',
  'WriteTxnMarkers',
];

type HopResult = BenchResults['singleHop']['actor'];

/** The broker's requests per event written during each side's single hop, when the run counted them. */
function requestRows({ singleHop }: BenchResults): Row[] {
  const sides = [singleHop.actor, singleHop.peer];
  if (sides.some((side) => side.brokerRequests === undefined || !side.written)) return [];
  const perEvent = (side: HopResult, types?: string[]): number => {
    const counts = Object.entries(side.brokerRequests ?? {});
    const made = counts.filter(([type]) => types === undefined || types.includes(type));
    return made.reduce((sum, [, count]) => sum + count, 0) / (side.written ?? 1);
  };
  const figures = (side: HopResult): string =>
    [perEvent(side), perEvent(side, transactionRequests), perEvent(side, ['Fetch'])].map(rounded).join(' / ');
  const byType = (side: HopResult): string =>
    transactionRequests.map((type) => `${type} ${rounded(perEvent(side, [type]) * 100)}`).join(', ');
  return [
    cells(
      '6',
      'broker requests per event written during the single hop, all / transaction ones / Fetch: actor vs Kafka Streams',
      figures(singleHop.actor),
      figures(singleHop.peer),
      times(perEvent(singleHop.actor), perEvent(singleHop.peer)),
    ),
    cells(
      '6',
      '… transaction ones per 100 events, by type: actor vs Kafka Streams',
      byType(singleHop.actor),
      byType(singleHop.peer),
    ),
  ];
}
