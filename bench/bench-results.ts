// The results of one benchmark run, as run.ts gathers them and report.ts and results-table.ts present
// them: the figures of every step, the CPU each process used, the machine and the settings.
import type { ActorRate, TimedRate } from './actor-rate.js';
import type { BrokerGc } from './broker-gc.js';
import type { ConsumeCeiling, ProduceCeiling } from './broker-ceiling.js';
import type { Machine } from './machine.js';
import type { EndpointResult } from './order-load.js';
import type { CapacityResult } from './capacity.js';
import type { SingleHops } from './peer-hop.js';
import type { PeerRate } from './peer.js';
import type { TracingCost } from './tracing-cost.js';
import type { TransactionCeiling } from './transaction-ceiling.js';

/** One round of step 6: the payment actor, then the peer, each on its own preloaded input. */
export interface RateRound {
  actor: TimedRate;
  peer: TimedRate;
}

/** Everything one run measured, and where: written as bench/results/<date>.json. */
export interface BenchResults {
  startedAt: string;
  mode: 'full' | 'quick';
  machine: Machine;
  settings: Record<string, string | number>;
  httpCeiling: EndpointResult;
  produceCeiling: ProduceCeiling;
  transactionCeiling: TransactionCeiling;
  consumeCeiling: ConsumeCeiling;
  orders: EndpointResult;
  /** Step 4: capacity, its confirmation, and the latency curve (the cost per order is the 50% point's). */
  pipeline: CapacityResult;
  /** The pipeline at half of capacity with tracing off vs exported to an in-process sink (absent from older runs). */
  tracingCost?: TracingCost;
  actors: ActorRate[];
  /** Step 6: the Kafka Streams peer of the payment actor on the same preloaded input (its first round). */
  peer: PeerRate;
  /**
   * Step 6: the payment actor and the peer in rounds taken in turns; the first holds step 5's payment run and
   * `peer`. Absent from older runs, which had one round.
   */
  rounds?: RateRound[];
  /** Step 6: single-hop latency at a low steady rate, the payment actor and the peer. */
  singleHop: SingleHops;
  /** Cores used by each process during each measured window. */
  cpu: Record<string, Record<string, number>>;
  /** The machine's 1-minute load average: other work on it shows here. */
  loadAverage: { atStart: number; atEnd: number };
  /** The broker's GC pauses over the run (absent from older runs). */
  brokerGc?: BrokerGc;
}
