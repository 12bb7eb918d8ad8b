// The context a pure handler gets, for unit tests: config from `env`, fixed id and time, a chosen
// random source, and a logger whose lines land in `logs`.
import { Writable } from 'node:stream';
import winston from 'winston';
import type { ActorContext } from '../../src/actors/types.js';
import { loadConfig } from '../../src/config.js';

export const now = new Date('2025-03-04T05:06:07.089Z');

export function handlerContext(
  id: string,
  options: { env?: NodeJS.ProcessEnv; random?: () => number } = {},
): ActorContext & { logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: Record<string, unknown>, _encoding, callback) {
      logs.push(info);
      callback();
    },
  });
  return {
    config: loadConfig(options.env ?? {}),
    log: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] }),
    newId: () => id,
    now: () => now,
    random: options.random ?? (() => 0.5),
    logs,
  };
}
