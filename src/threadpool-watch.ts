// Node's threadpool, watched: a probe (a stat, which runs on one of libuv's threads) every few seconds. A probe left
// unanswered for long means every thread is held by a call that never answers (src/threadpool.ts): no Kafka call of
// the process can run any more, the service stands still, and only a new process recovers.
import { stat } from 'node:fs/promises';
import type { Logger } from './logger.js';
import { exitNow } from './shutdown.js';
import { unansweredCalls } from './unanswered.js';

export interface ThreadpoolWatchOptions {
  /** How often a probe starts when none is waiting (default 5 s). */
  everyMs?: number;
  /** How long a probe may wait before the threadpool counts as starved (default 30 s). */
  starvedAfterMs?: number;
  /** The probe: a call that runs on the threadpool and answers at once when a thread is free. */
  probe?: () => Promise<unknown>;
  /** Told once per starved spell, with how long the probe has waited. */
  onStarved(waitedMs: number): void;
}

/** @example const watch = watchThreadpool({ onStarved: (waitedMs) => log.error('starved', { waitedMs }) }); */
export function watchThreadpool(options: ThreadpoolWatchOptions): { stop(): void } {
  const { everyMs = 5000, starvedAfterMs = 30000, probe = () => stat('.') } = options;
  let waitingSince: number | undefined;
  let told = false;
  const answered = (): void => {
    waitingSince = undefined;
    told = false;
  };
  const timer = setInterval(() => {
    if (waitingSince === undefined) {
      waitingSince = Date.now();
      probe().then(answered, answered);
      return;
    }
    const waitedMs = Date.now() - waitingSince;
    if (waitedMs >= starvedAfterMs && !told) {
      told = true;
      options.onStarved(waitedMs);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Ends the process (exitNow) once its threadpool has been starved for 30 s (`timing` for a test), for its supervisor
 * to start a new one: better a restart with a line saying why than a service standing still without one.
 * @example exitWhenThreadpoolStarved(log);
 */
export function exitWhenThreadpoolStarved(
  log: Logger,
  timing: Pick<ThreadpoolWatchOptions, 'everyMs' | 'starvedAfterMs'> = {},
): void {
  watchThreadpool({
    ...timing,
    onStarved: (waitedMs) =>
      exitNow(log, 'threadpool starved, exiting', { waitedMs, unansweredCalls: unansweredCalls() }),
  });
}
