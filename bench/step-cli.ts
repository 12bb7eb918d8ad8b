// What the bench's one-step command lines (rate.ts, single-hop.ts) share: a quiet JSON logger on stderr, a work
// directory for the logs, and the services' environment with the broker to use, given or started here.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import type { Logger } from '../src/logger.js';
import { startThrowawayBroker } from './broker.js';
import { teardownOnSignals } from './teardown.js';

/** The options every one-step command line takes: a broker given (--brokers) or started here (--broker), --help. */
export const stepCliOptions = {
  brokers: { type: 'string' },
  broker: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export interface StepCli {
  log: Logger;
  workDir: string;
  /** LOG_LEVEL (warn unless set), LOG_FORMAT and, when given or started, KAFKA_BROKERS. */
  env: Record<string, string>;
  /** The throwaway broker's process, when one was started. */
  brokerPid?: number;
}

/** A whole number above 0 from an option's text, or undefined. */
export const wholeAbove0 = (text: string | undefined): number | undefined => {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
};

/**
 * Sets up the command line `name`: `brokers` given, or a throwaway broker on BENCH_KAFKA_PORT when `throwaway`
 * (stopped by the teardown, as on Ctrl-C).
 */
export async function startStepCli(
  name: string,
  { brokers, throwaway }: { brokers?: string; throwaway: boolean },
): Promise<StepCli> {
  teardownOnSignals();
  const log = winston.createLogger({
    level: 'warn',
    defaultMeta: { service: name },
    format: winston.format.json(),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
  const workDir = await mkdtemp(join(tmpdir(), `webshop-${name}-`));
  // As the bench runs the services, unless LOG_LEVEL says what a line per event costs (bench/README.md).
  const env: Record<string, string> = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LOG_FORMAT: 'json' };
  if (brokers) env.KAFKA_BROKERS = brokers;
  if (!throwaway) return { log, workDir, env };
  const port = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
  const broker = await startThrowawayBroker(port, port + 1, workDir);
  return { log, workDir, env: { ...env, KAFKA_BROKERS: broker.brokers }, brokerPid: broker.pid };
}
