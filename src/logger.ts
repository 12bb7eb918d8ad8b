// The winston root logger: readable lines for a person (colored on a terminal), JSON lines where logs are shipped;
// child loggers carry the service name; `kafkaLogger` routes librdkafka's own logs through the same logger.
import winston from 'winston';
import type { Config } from './config.js';
import { LinesPerTurn } from './stdout-lines.js';

export type Logger = winston.Logger;

/**
 * The root logger of one process; every line names `service`. A long-running service writes its lines once per turn
 * of the event loop (`linesPerTurn`); a command's lines go out one by one, in order with what it prints.
 * @example const log = createLogger(config, 'payment', { linesPerTurn: true }); log.info('actor started', { groupId });
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  service: string,
  { linesPerTurn = false } = {},
): Logger {
  // winston checks the level in the transport, after formatting: drop a line first, so hot-path lines below
  // LOG_LEVEL cost no JSON encoding.
  const levels = winston.config.npm.levels;
  const belowLevel = winston.format((info) =>
    (levels[info.level] ?? 0) <= (levels[config.logLevel] ?? 2) ? info : false,
  );
  const json = config.logFormat === 'json' || (config.logFormat === 'auto' && !process.stdout.isTTY);
  const format = json
    ? winston.format.combine(
        belowLevel(),
        winston.format.timestamp(),
        winston.format.errors({ stack: true }),
        winston.format.json(),
      )
    : winston.format.combine(
        belowLevel(),
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        winston.format.errors({ stack: true }),
        ...(process.stdout.isTTY ? [winston.format.colorize()] : []),
        winston.format.printf(readableLine),
      );
  const logger = winston.createLogger({
    level: config.logLevel,
    defaultMeta: { service },
    format,
    transports: [linesPerTurn ? new LinesPerTurn() : new winston.transports.Console()],
  });
  // Even a line the format drops costs an object, a stream write and the formats' first step (about 1 µs, per
  // event where a handler logs at info). The levels below LOG_LEVEL return at once instead; children inherit them.
  const threshold = levels[config.logLevel] ?? 2;
  for (const [level, rank] of Object.entries(levels)) {
    if (rank > threshold) Object.defineProperty(logger, level, { value: skipLine });
  }
  return logger;
}

function skipLine(this: Logger): Logger {
  return this;
}

/** What a handler logs with: a line at a level, with its own fields. */
export interface EventLogger {
  error(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  debug(message: string, fields?: object): void;
}

/**
 * The logger of one event: each line carries `fields` (where the event came from) before its own. It is one small
 * object per event, and a line below the logger's level builds nothing. A winston child logger per event, built even
 * when its line was dropped, took about a fifth of the payment actor's handling time (bench/batch-cost.ts).
 * @example eventLogger(log, { orderId, topic }).info('payment completed', { amount })
 */
export function eventLogger(log: Logger, fields: object): EventLogger {
  return new FieldsLogger(log, fields);
}

class FieldsLogger implements EventLogger {
  constructor(
    private readonly log: Logger,
    private readonly fields: object,
  ) {}

  error(message: string, fields?: object): void {
    this.write('error', message, fields);
  }

  warn(message: string, fields?: object): void {
    this.write('warn', message, fields);
  }

  info(message: string, fields?: object): void {
    this.write('info', message, fields);
  }

  debug(message: string, fields?: object): void {
    this.write('debug', message, fields);
  }

  private write(level: string, message: string, fields?: object): void {
    if (this.log.isLevelEnabled(level)) this.log.log(level, message, { ...this.fields, ...fields });
  }
}

// Where a line says where an event came from: written after the fields that tell what happened.
const sourceFields = new Set(['correlationId', 'type', 'topic', 'partition', 'offset', 'component', 'fac', 'name']);

/**
 * One line a person reads: `12:00:01.234 info [payment] payment completed orderId=o-1 amount=50 topic=..`. The
 * fields of the event come first, where it came from last. Values are written bare unless they hold a space or
 * quote (then JSON-quoted); objects and arrays as JSON.
 */
function readableLine({
  timestamp,
  level,
  message,
  service,
  stack,
  ...meta
}: winston.Logform.TransformableInfo): string {
  const entries = Object.entries(meta);
  const ordered = [
    ...entries.filter(([key]) => !sourceFields.has(key)),
    ...entries.filter(([key]) => sourceFields.has(key)),
  ];
  const fields = ordered.map(([key, value]) => `${key}=${readableValue(value)}`);
  const line = [String(timestamp), level, `[${String(service)}]`, String(message), ...fields].join(' ');
  return stack ? `${line}\n${String(stack)}` : line;
}

function readableValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The logger shape the Kafka client expects (its `kafkaJS.logger`), declared here so only src/kafka imports it. */
export interface KafkaClientLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(namespace: string, level?: number): KafkaClientLogger;
  setLogLevel(level: number): void;
}

// The client's numeric levels: NOTHING 0, ERROR 1, WARN 2, INFO 3, DEBUG 4.
const levelNumbers = { error: 1, warn: 2, info: 3, debug: 4 } as const;

/**
 * Adapts a winston logger to the Kafka client. The client does not filter levels before calling a
 * custom logger, so the adapter does; the client's `setLogLevel` calls are ignored in favour of LOG_LEVEL,
 * librdkafka's chatty info lines are demoted to debug, and a warning that ends in "retrying" (librdkafka tries
 * again by itself, as while a starting broker elects its transaction coordinator) is an info line, not a warning.
 */
export function kafkaLogger(log: Logger, namespace = 'kafka'): KafkaClientLogger {
  const threshold = levelNumbers[log.level as keyof typeof levelNumbers] ?? levelNumbers.info;
  const child = log.child({ component: namespace });
  const write = (level: keyof typeof levelNumbers, message: string, extra?: object): void => {
    if (levelNumbers[level] > threshold) return;
    // Constant message; librdkafka's text goes into metadata. The client's numeric `timestamp` is left out, so
    // the line keeps the logger's own time like every other line.
    const fields: Record<string, unknown> = { ...extra };
    delete fields.timestamp;
    child.log(level, 'kafka client log', { detail: message, ...fields });
  };
  return {
    info: (message, extra) => write('debug', message, extra),
    warn: (message, extra) => write(/retrying\W*$/i.test(message) ? 'info' : 'warn', message, extra),
    error: (message, extra) => write('error', message, extra),
    debug: (message, extra) => write('debug', message, extra),
    namespace: (name) => kafkaLogger(log, `${namespace}.${name}`),
    setLogLevel: () => undefined,
  };
}
