// The one place that reads the environment: each setting's default and environment variable, and one validation
// at start-up (config-schema.ts's ajv schema, compiled once) that lists every problem at once.
import { Ajv } from 'ajv';
import { configSchema, type Config } from './config-schema.js';
import { WebshopError } from './errors.js';

export type { Config } from './config-schema.js';

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
