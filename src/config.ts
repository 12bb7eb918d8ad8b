// The one place that reads the environment: every setting, its default, its environment variable, and
// one ajv validation at start-up that lists every problem at once.
import { Ajv, type JSONSchemaType } from 'ajv';
import { WebshopError } from './errors.js';

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

/** Every default: what a developer's machine needs, nothing more. */
export const defaultConfig: Readonly<Config> = {
  kafkaBrokers: '127.0.0.1:9092',
  topicPrefix: '',
  producerLingerMs: 0,
  logLevel: 'info',
  logFormat: 'auto',
  httpHost: '127.0.0.1',
  orderPort: 5001,
  paymentPort: 5002,
  shippingPort: 5003,
  notificationPort: 5004,
  statusPort: 5005,
  orderAckTimeoutMs: 5000,
  paymentLimit: 300,
  actorBatchSize: 500,
  actorConcurrency: 6,
  actorCommitIntervalMs: 10,
  statusCommitIntervalMs: 100,
  ledgerWindowHours: 0,
  retryAttempts: 5,
  retryBaseMs: 200,
  retryMaxMs: 10000,
  shutdownTimeoutMs: 10000,
  stallTimeoutMs: 30000,
  sessionTimeoutMs: 30000,
  groupProtocol: 'consumer',
  actorInstanceId: '',
  statisticsIntervalMs: 5000,
  statusTableMaxOrders: 100000,
  paymentFailureRate: 0,
  otelExporterOtlpEndpoint: '',
  otelServiceName: '',
  otelTracesExporter: 'otlp',
  kafkaDebug: '',
};

/** The environment variable of each setting. */
export const configEnv: Readonly<Record<keyof Config, string>> = {
  kafkaBrokers: 'KAFKA_BROKERS',
  topicPrefix: 'TOPIC_PREFIX',
  producerLingerMs: 'PRODUCER_LINGER_MS',
  logLevel: 'LOG_LEVEL',
  logFormat: 'LOG_FORMAT',
  httpHost: 'HTTP_HOST',
  orderPort: 'ORDER_PORT',
  paymentPort: 'PAYMENT_PORT',
  shippingPort: 'SHIPPING_PORT',
  notificationPort: 'NOTIFICATION_PORT',
  statusPort: 'STATUS_PORT',
  orderAckTimeoutMs: 'ORDER_ACK_TIMEOUT_MS',
  paymentLimit: 'PAYMENT_LIMIT',
  actorBatchSize: 'ACTOR_BATCH_SIZE',
  actorConcurrency: 'ACTOR_CONCURRENCY',
  actorCommitIntervalMs: 'ACTOR_COMMIT_INTERVAL_MS',
  statusCommitIntervalMs: 'STATUS_COMMIT_INTERVAL_MS',
  ledgerWindowHours: 'LEDGER_WINDOW_HOURS',
  retryAttempts: 'RETRY_ATTEMPTS',
  retryBaseMs: 'RETRY_BASE_MS',
  retryMaxMs: 'RETRY_MAX_MS',
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  stallTimeoutMs: 'STALL_TIMEOUT_MS',
  sessionTimeoutMs: 'SESSION_TIMEOUT_MS',
  groupProtocol: 'GROUP_PROTOCOL',
  actorInstanceId: 'ACTOR_INSTANCE_ID',
  statisticsIntervalMs: 'STATISTICS_INTERVAL_MS',
  statusTableMaxOrders: 'STATUS_TABLE_MAX_ORDERS',
  paymentFailureRate: 'PAYMENT_FAILURE_RATE',
  otelExporterOtlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otelServiceName: 'OTEL_SERVICE_NAME',
  otelTracesExporter: 'OTEL_TRACES_EXPORTER',
  kafkaDebug: 'KAFKA_DEBUG',
};

const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;

// librdkafka 2.15's debug contexts (CONFIGURATION.md, `debug`).
const debugContexts =
  'generic|broker|topic|metadata|feature|queue|msg|protocol|cgrp|security|fetch|interceptor|plugin|consumer|admin|eos|mock|assignor|conf|telemetry|all';

const configSchema: JSONSchemaType<Config> = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(defaultConfig) as (keyof Config)[],
  properties: {
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
  },
};

const validateConfig = new Ajv({ allErrors: true, coerceTypes: true }).compile(configSchema);

/**
 * Reads every setting from `env` once, over `defaultConfig`, and validates the result.
 * Throws a `CONFIG_INVALID` error naming every bad variable.
 * @example const config = loadConfig({ ...process.env, TOPIC_PREFIX: 'test-' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = { ...defaultConfig };
  for (const [key, name] of Object.entries(configEnv)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value.trim();
  }
  if (!validateConfig(raw)) {
    const problems = (validateConfig.errors ?? []).map((error) => {
      const key = error.instancePath.slice(1) as keyof Config;
      return `${configEnv[key] ?? key} ${error.message ?? 'is invalid'}`;
    });
    throw new WebshopError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  }
  return raw;
}

/** `loadConfig()` for a process entry point: prints every problem and exits 1 when the settings are invalid. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
