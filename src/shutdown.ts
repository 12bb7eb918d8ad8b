// Graceful shutdown of a process: on SIGTERM or SIGINT run the stop function once, bounded in time,
// and exit 0 when it finished, 1 when it failed or overran.
import type { Logger } from './logger.js';
import { flushLines } from './stdout-lines.js';

/**
 * Registers the signal handlers. Further signals while stopping are ignored: process runners such as `make dev`
 * send SIGTERM to a process that the terminal's Ctrl-C already signalled, and the timeout bounds the wait.
 */
export function exitOnSignals(log: Logger, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.info('already shutting down', { signal });
      return;
    }
    stopping = true;
    log.info('shutting down', { signal, timeoutMs });
    const timer = setTimeout(() => {
      log.error('shutdown timed out', { timeoutMs });
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Logs `message` as an error and ends the process at once, SIGKILL to itself once the line is out: for a state a
 * graceful close cannot leave (a close would wait on the client, and an exit waits on libuv's held threads). The
 * supervisor (Docker's restart policy, Kubernetes, `make dev`) starts a new process.
 * @example exitNow(log, 'producer fenced by another instance, exiting', { error });
 */
export function exitNow(log: Logger, message: string, fields: Record<string, unknown>): void {
  log.error(message, fields);
  flushLines();
  setImmediate(() => process.stdout.write('', () => process.kill(process.pid, 'SIGKILL')));
}
