// What each setting is: its type and meaning (the Config interface) and the rule its value must follow (the ajv
// schema that config.ts validates the environment's values against). Where the values come from is config.ts's.
import type { JSONSchemaType } from 'ajv';

export interface Config {
  /** Comma-separated bootstrap servers. */
  kafkaBrokers: string;
  /** Prepended to every topic name, so tests and environments can share a broker. */
  topicPrefix: string;
  /** librdkafka `linger.ms` of every producer: how long a send waits to fill a batch. */
  producerLingerMs: number;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** `auto`: readable colored lines on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Address the HTTP servers (order endpoint, actor health) bind to. */
  httpHost: string;
  orderPort: number;
  paymentPort: number;
  shippingPort: number;
  notificationPort: number;
  statusPort: number;
  /** How long `POST /order` waits for the broker's acknowledgement before answering 503. */
  orderAckTimeoutMs: number;
  /** Orders above this amount fail payment (`payment.failed`); an amount equal to it completes. */
  paymentLimit: number;
  /** Most messages one actor handles per batch (`js.consumer.max.batch.size`). */
  actorBatchSize: number;
  /** Partitions an actor instance works on at once (`partitionsConsumedConcurrently`). */
  actorConcurrency: number;
  /**
   * Least time between the starts of an actor instance's transactions (not the status actor's); batches handled
   * meanwhile share the next one. 0: as soon as the last one ended. Longer: fewer, fuller transactions, for more
   * time to the next hop.
   */
  actorCommitIntervalMs: number;
  /**
   * The same for the status projection, which folds every event of every order: its records may trail the
   * orders' own events by this much, for fewer transactions on the broker.
   */
  statusCommitIntervalMs: number;
  /**
   * How long an actor remembers an order it has done, to skip it if it comes again: at least this many hours after
   * its output, at most twice as long; its ledger reads back only that much of its outputs at start. 0: every
   * order of the output topics, for good. Not the status actor's: it keeps every order's record.
   */
  ledgerWindowHours: number;
  /** Attempts of a handler or produce that fails with a retriable error before it is dead-lettered. */
  retryAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Upper bound of a graceful shutdown; past it the process exits non-zero. */
  shutdownTimeoutMs: number;
  /** An actor with work waiting that handles nothing for this long replaces its consumer. */
  stallTimeoutMs: number;
  /**
   * How long the group waits for a silent (crashed) actor instance before handing its partitions on. Shorter
   * recovers a crash sooner, but a broker outage longer than it makes every actor rejoin its group.
   */
  sessionTimeoutMs: number;
  /**
   * The consumer group protocol: `consumer` (KIP-848: the broker assigns, and a crashed member's partitions move on
   * after the broker's group.consumer.session.timeout.ms) or `classic` (SESSION_TIMEOUT_MS applies).
   */
  groupProtocol: 'consumer' | 'classic';
  /** Names one actor instance (its transactional id); empty: host name and health port. */
  actorInstanceId: string;
  /** How often a consumer reports its lag (librdkafka's `statistics.interval.ms`) to `/metrics`; 0: never. */
  statisticsIntervalMs: number;
  /**
   * Most orders the order service keeps in its table of order_status (GET /orders); past it the order
   * updated longest ago goes first.
   */
  statusTableMaxOrders: number;
  /** Fault injection: the share of payment attempts whose gateway call fails (retriable), 0 to 1. */
  paymentFailureRate: number;
  /** OTLP/HTTP endpoint that spans are exported to (`<endpoint>/v1/traces`); empty: no exporter, context only. */
  otelExporterOtlpEndpoint: string;
  /** The `service.name` of this process's spans; empty: the service's own name (order, payment, ...). */
  otelServiceName: string;
  /**
   * `otlp`: the SDK exports to the OTLP endpoint when one is set; `none`: no SDK even then; `discard`: the SDK
   * records and batches every span and drops it in process (what the benchmark's tracing cost measures).
   */
  otelTracesExporter: 'otlp' | 'none' | 'discard';
  /**
   * librdkafka's `debug` contexts for every Kafka client (e.g. `eos,msg`: transactions and deliveries); its lines
   * are logged at `debug`. Empty: none.
   */
  kafkaDebug: string;
}

const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;

// librdkafka 2.15's debug contexts (CONFIGURATION.md, `debug`).
const debugContexts =
  'generic|broker|topic|metadata|feature|queue|msg|protocol|cgrp|security|fetch|interceptor|plugin|consumer|admin|eos|mock|assignor|conf|telemetry|all';

const properties: JSONSchemaType<Config>['properties'] = {
  kafkaBrokers: { type: 'string', pattern: '^[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*$' },
  topicPrefix: { type: 'string', pattern: '^[a-zA-Z0-9._-]*$', maxLength: 100 },
  producerLingerMs: { type: 'number', minimum: 0, maximum: 1000 },
  logLevel: { type: 'string', enum: ['error', 'warn', 'info', 'debug'] },
  logFormat: { type: 'string', enum: ['auto', 'json', 'pretty'] },
  httpHost: { type: 'string', minLength: 1 },
  orderPort: port,
  paymentPort: port,
  shippingPort: port,
  notificationPort: port,
  statusPort: port,
  orderAckTimeoutMs: { type: 'integer', minimum: 100, maximum: 300000 },
  paymentLimit: { type: 'number', minimum: 0 },
  actorBatchSize: { type: 'integer', minimum: 1, maximum: 10000 },
  actorConcurrency: { type: 'integer', minimum: 1, maximum: 64 },
  actorCommitIntervalMs: { type: 'integer', minimum: 0, maximum: 10000 },
  statusCommitIntervalMs: { type: 'integer', minimum: 0, maximum: 10000 },
  ledgerWindowHours: { type: 'number', minimum: 0, maximum: 8760 },
  retryAttempts: { type: 'integer', minimum: 1, maximum: 100 },
  retryBaseMs: { type: 'integer', minimum: 1 },
  retryMaxMs: { type: 'integer', minimum: 1 },
  shutdownTimeoutMs: { type: 'integer', minimum: 1000 },
  stallTimeoutMs: { type: 'integer', minimum: 1000 },
  // The broker's group.min.session.timeout.ms and group.max.session.timeout.ms defaults.
  sessionTimeoutMs: { type: 'integer', minimum: 6000, maximum: 1800000 },
  groupProtocol: { type: 'string', enum: ['consumer', 'classic'] },
  actorInstanceId: { type: 'string', pattern: '^[a-zA-Z0-9._-]*$', maxLength: 100 },
  // librdkafka's range; it emits on whole seconds.
  statisticsIntervalMs: { type: 'integer', minimum: 0, maximum: 86400000 },
  statusTableMaxOrders: { type: 'integer', minimum: 1, maximum: 10000000 },
  paymentFailureRate: { type: 'number', minimum: 0, maximum: 1 },
  otelExporterOtlpEndpoint: { type: 'string', pattern: '^(https?://\\S+)?$' },
  otelServiceName: { type: 'string', maxLength: 200 },
  otelTracesExporter: { type: 'string', enum: ['otlp', 'none', 'discard'] },
  kafkaDebug: { type: 'string', pattern: `^((${debugContexts})(,(${debugContexts}))*)?$` },
};

/** Every setting is required: config.ts fills in each default before it validates. */
export const configSchema: JSONSchemaType<Config> = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties) as (keyof Config)[],
  properties,
};
