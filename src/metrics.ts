// The shop's Prometheus metrics (prom-client): one registry per process with the default process metrics, the
// order service's and the actors' instruments, and the small recording API the order app and the actor runtime call.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { unansweredCalls } from './unanswered.js';

/** What the order service records. */
export interface OrderMetrics {
  /** One HTTP request answered; `route` is the matched route pattern, never the raw path. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** The broker acknowledged an order's event (`acknowledged`) or did not (`failed`), after `seconds`. */
  brokerAck(outcome: 'acknowledged' | 'failed', seconds: number): void;
}

/** What the actor runtime records for one actor. */
export interface ActorMetrics {
  /** `count` input events (1 unless given) committed, with what became of them (`completed`, `shipped`, ...). */
  processed(outcome: string, count?: number): void;
  deadLettered(errorCode: string): void;
  /** A handler attempt (`handler`) or a transaction (`transaction`) is tried again. */
  retried(kind: 'handler' | 'transaction'): void;
  committed(result: 'committed' | 'failed', seconds: number): void;
  batch(messages: number): void;
  rebalanced(kind: 'assigned' | 'revoked'): void;
  consumerReplaced(): void;
  /** Seconds from the creation of the input event's order (its `ordertime`) to its processing. */
  eventAge(seconds: number): void;
  /** The consumer's lag on each partition it holds now; partitions left out are dropped. */
  lag(partitions: readonly { topic: string; partition: number; lag: number }[]): void;
}

/** The registry of a process and the ways to record into it. */
export interface Metrics {
  registry: Registry;
  order: OrderMetrics;
  actor(name: string): ActorMetrics;
}

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ageBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const batchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

const builders = (registry: Registry) => {
  const registers = [registry];
  return {
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name: `webshop_${name}`, help, labelNames, registers }),
    histogram: <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
      new Histogram<L>({ name: `webshop_${name}`, help, labelNames, buckets, registers }),
    gauge: <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name: `webshop_${name}`, help, labelNames, registers }),
  };
};

function orderInstruments(registry: Registry) {
  const { counter, histogram } = builders(registry);
  const http = ['method', 'route', 'status'] as const;
  return {
    requests: counter('http_requests_total', 'HTTP requests answered', http),
    requestSeconds: histogram('http_request_duration_seconds', 'Time to answer an HTTP request', http, latencyBuckets),
    ordersAccepted: counter('orders_accepted_total', 'Orders whose event the broker acknowledged', []),
    ackSeconds: histogram(
      'broker_ack_duration_seconds',
      "Time from sending an order's event to the broker's acknowledgement (or failure)",
      ['outcome'],
      latencyBuckets,
    ),
  };
}

function actorInstruments(registry: Registry) {
  const { counter, histogram, gauge } = builders(registry);
  return {
    processed: counter('actor_events_processed_total', 'Input events committed, by outcome', ['actor', 'outcome']),
    deadLetters: counter('actor_dead_letters_total', 'Input events dead-lettered, by error code', ['actor', 'code']),
    retries: counter('actor_retries_total', 'Handler attempts and transactions tried again', ['actor', 'kind']),
    commitSeconds: histogram(
      'actor_transaction_commit_duration_seconds',
      'Time to commit a transaction (outputs, dead letters and offsets)',
      ['actor', 'result'],
      latencyBuckets,
    ),
    batchMessages: histogram('actor_batch_messages', 'Messages per consumed batch', ['actor'], batchBuckets),
    rebalances: counter('actor_rebalances_total', 'Partition assignments and revocations', ['actor', 'kind']),
    replacements: counter('actor_consumer_replacements_total', 'Stalled consumers replaced by the watchdog', ['actor']),
    ageSeconds: histogram(
      'actor_event_age_seconds',
      "Time from the creation of an input event's order (its ordertime attribute) to its processing",
      ['actor'],
      ageBuckets,
    ),
    lag: gauge(
      'actor_consumer_lag_messages',
      'Messages not yet processed, per input partition (librdkafka statistics)',
      ['actor', 'topic', 'partition'],
    ),
  };
}

/**
 * A fresh registry with the default process metrics. The order service's and the actors' instruments join it on
 * first use, so each process exposes only its own.
 * @example const metrics = createMetrics(); metrics.actor('payment').processed('completed');
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which promtool rejects (prometheus/client_js#283, open); the same counts stay
  // exposed by type as nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  new Gauge({
    name: 'webshop_kafka_calls_unanswered',
    help: "Kafka client calls given up on (their bound passed) that have not answered since; most keep one of libuv's threads",
    registers: [registry],
    collect() {
      this.set(unansweredCalls());
    },
  });
  let order: OrderMetrics | undefined;
  let actorParts: ReturnType<typeof actorInstruments> | undefined;
  const orderMetrics = (): OrderMetrics => {
    if (order !== undefined) return order;
    const { requests, requestSeconds, ordersAccepted, ackSeconds } = orderInstruments(registry);
    order = {
      request(method, route, status, seconds) {
        const labels = { method, route, status: String(status) };
        requests.inc(labels);
        requestSeconds.observe(labels, seconds);
      },
      brokerAck(outcome, seconds) {
        ackSeconds.observe({ outcome }, seconds);
        if (outcome === 'acknowledged') ordersAccepted.inc();
      },
    };
    return order;
  };

  const actor = (name: string): ActorMetrics => {
    actorParts ??= actorInstruments(registry);
    const instruments = actorParts;
    let lagging: { topic: string; partition: string }[] = [];
    return {
      processed: (outcome, count = 1) => instruments.processed.inc({ actor: name, outcome }, count),
      deadLettered: (code) => instruments.deadLetters.inc({ actor: name, code }),
      retried: (kind) => instruments.retries.inc({ actor: name, kind }),
      committed: (result, seconds) => instruments.commitSeconds.observe({ actor: name, result }, seconds),
      batch: (messages) => instruments.batchMessages.observe({ actor: name }, messages),
      rebalanced: (kind) => instruments.rebalances.inc({ actor: name, kind }),
      consumerReplaced: () => instruments.replacements.inc({ actor: name }),
      eventAge: (seconds) => instruments.ageSeconds.observe({ actor: name }, Math.max(0, seconds)),
      lag(partitions) {
        for (const labels of lagging) instruments.lag.remove({ actor: name, ...labels });
        lagging = partitions.map(({ topic, partition }) => ({ topic, partition: String(partition) }));
        for (const [index, labels] of lagging.entries()) {
          instruments.lag.set({ actor: name, ...labels }, partitions[index]!.lag);
        }
      },
    };
  };

  return {
    registry,
    get order() {
      return orderMetrics();
    },
    actor,
  };
}

let processMetrics: Metrics | undefined;

/** The process's one registry, made on first use: what `/metrics` serves unless a test gives its own. */
export function sharedMetrics(): Metrics {
  processMetrics ??= createMetrics();
  return processMetrics;
}
