// The context a pure handler gets, for unit tests: config from `env`, fixed id and time, a chosen
// random source, and a logger whose lines land in `logs` (a whole winston logger, so it also serves as the runtime's).
import type { ActorContext, ActorServices } from '../../src/actors/types.js';
import { loadConfig } from '../../src/config.js';
import { recordingLogger } from '../helpers.js';

export const now = new Date('2025-03-04T05:06:07.089Z');

export function handlerContext(
  id: string,
  options: { env?: NodeJS.ProcessEnv; random?: () => number } = {},
): ActorContext & ActorServices & { logs: Record<string, unknown>[] } {
  const { log, entries: logs } = recordingLogger();
  return {
    config: loadConfig(options.env ?? {}),
    log,
    newId: () => id,
    now: () => now,
    random: options.random ?? (() => 0.5),
    source: { topic: 'order_created', partition: 0, offset: '0' },
    logs,
  };
}
