// The process around one actor instance: config, logger, start, signals. Each actor's main.ts is one call.
import { loadConfigOrExit } from '../config.js';
import { describeError } from '../errors.js';
import { createLogger } from '../logger.js';
import { exitNow, exitOnSignals } from '../shutdown.js';
import { exitWhenThreadpoolStarved } from '../threadpool-watch.js';
import { startTracing } from '../tracing.js';
import { startActor } from './runtime.js';
import type { ActorDefinition } from './types.js';
import type { EventType } from '../contracts/events.js';

const portSetting = {
  payment: 'paymentPort',
  shipping: 'shippingPort',
  notification: 'notificationPort',
  status: 'statusPort',
} as const;

/** Runs `definition` as this process's actor until SIGTERM/SIGINT; exits 1 when it cannot start. */
export async function runActorProcess<In extends EventType>(definition: ActorDefinition<In>): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config, definition.name, { linesPerTurn: true });
  exitWhenThreadpoolStarved(log);
  const tracing = await startTracing(config, definition.name);
  let exiting = false;
  try {
    const actor = await startActor(definition, config, {
      log,
      port: config[portSetting[definition.name]],
      // A fenced producer means another live instance has this instance's id: leave, let the supervisor decide.
      // Nothing of this instance can commit any more (its offsets are only committed in its transactions), so
      // nothing is lost by ending at once; a graceful close is what can go wrong here: the client then runs a
      // pending seek on the closed consumer and throws, and exiting while its close waits hangs the process.
      onFatal: (error) => {
        if (exiting) return;
        exiting = true;
        exitNow(log, 'producer fenced by another instance, exiting', { error: describeError(error) });
      },
    });
    exitOnSignals(log, config.shutdownTimeoutMs, () => actor.stop({ processExiting: true }).finally(tracing.stop));
  } catch (error) {
    log.error('actor failed to start', { error });
    process.exit(1);
  }
}
