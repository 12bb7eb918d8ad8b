// The winston root logger: JSON lines off a terminal, colored lines on one; child loggers carry the
// service name; `kafkaLogger` routes librdkafka's own logs through the same logger.
import winston from 'winston';
import type { Config } from './config.js';

export type Logger = winston.Logger;

/**
 * The root logger of one process; every line names `service`.
 * @example const log = createLogger(config, 'payment'); log.info('actor started', { groupId });
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, service: string): Logger {
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
        winston.format.colorize(),
        winston.format.printf(({ timestamp, level, message, service: name, stack, ...meta }) => {
          const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
          return `${String(timestamp)} ${level} [${String(name)}] ${String(message)}${rest}${stack ? `\n${String(stack)}` : ''}`;
        }),
      );
  return winston.createLogger({
    level: config.logLevel,
    defaultMeta: { service },
    format,
    transports: [new winston.transports.Console()],
  });
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
 * and librdkafka's chatty info lines are demoted to debug.
 */
export function kafkaLogger(log: Logger, namespace = 'kafka'): KafkaClientLogger {
  const threshold = levelNumbers[log.level as keyof typeof levelNumbers] ?? levelNumbers.info;
  const child = log.child({ component: namespace });
  const write = (level: keyof typeof levelNumbers, message: string, extra?: object): void => {
    if (levelNumbers[level] > threshold) return;
    // Constant message; librdkafka's text goes into metadata.
    child.log(level, 'kafka client log', { detail: message, ...extra });
  };
  return {
    info: (message, extra) => write('debug', message, extra),
    warn: (message, extra) => write('warn', message, extra),
    error: (message, extra) => write('error', message, extra),
    debug: (message, extra) => write('debug', message, extra),
    namespace: (name) => kafkaLogger(log, `${namespace}.${name}`),
    setLogLevel: () => undefined,
  };
}
