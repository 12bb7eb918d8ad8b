// The stall watchdog (watchdog.ts) wired to an actor's parts: its consumer's committed offsets, the readable ends of
// its inputs, and the runner's work in flight; a stall replaces the consumer.
import { describeError } from '../errors.js';
import { readableEnds } from '../kafka/offsets.js';
import type { RenewingAdmin } from '../kafka/renewing-admin.js';
import type { Logger } from '../logger.js';
import type { ActorMetrics } from '../metrics.js';
import type { ActorConsumer } from './actor-consumer.js';
import type { BatchRunner } from './batch-runner.js';
import type { Lifecycle } from './lifecycle.js';
import { createWatchdog, type Watchdog } from './watchdog.js';

const committedTimeoutMs = 5000;
// Past this a read of the ends is given up and the next one goes through a new admin client: one whose request went
// unanswered (after a broker left) would have left the actor unwatched for good.
const endsTimeoutMs = 5000;

export interface ActorParts {
  actor: string;
  groupId: string;
  stallTimeoutMs: number;
  inputTopics: readonly string[];
  consumer: ActorConsumer;
  admins: RenewingAdmin;
  runner: Pick<BatchRunner, 'idle' | 'inFlight'>;
  lifecycle: Pick<Lifecycle, 'running'>;
  metrics: Pick<ActorMetrics, 'consumerReplaced'>;
  log: Logger;
}

/** @example const watchdog = actorWatchdog({ actor: 'payment', groupId, consumer, admins, runner, ... }); */
export function actorWatchdog(parts: ActorParts): Watchdog {
  const { actor, consumer, runner, lifecycle, log } = parts;
  const watchdog = createWatchdog({
    stallTimeoutMs: parts.stallTimeoutMs,
    topics: parts.inputTopics,
    holding: consumer.holding,
    // The consumer's own committed(), not admin.fetchOffsets: a ListConsumerGroupOffsets that timed out while
    // the broker was away aborts the process when the broker comes back (librdkafka 2.x enq_once assertion).
    committed: (input, partitions) =>
      consumer.current().committed(
        partitions.map((partition) => ({ topic: input, partition })),
        committedTimeoutMs,
      ),
    positions: (input, partitions) =>
      consumer.current().positions(partitions.map((partition) => ({ topic: input, partition }))),
    readableEnds: (input) =>
      parts.admins.call((admin) => readableEnds(admin, input), endsTimeoutMs, `the readable ends of ${input}`),
    watching: () => lifecycle.running() && runner.idle(),
    onBusy(busyMs) {
      if (!lifecycle.running()) return;
      const waiting = { inFlight: runner.inFlight(), replacingConsumer: consumer.replacing() };
      log.warn('actor busy without progress', { actor, busyMs, ...waiting });
    },
    onUnread(error) {
      log.warn('stall watchdog cannot read offsets', { actor, error: describeError(error) });
    },
    onReadAgain(unreadMs) {
      log.info('stall watchdog reads offsets again', { actor, unreadMs });
    },
    async onStall(idleMs) {
      log.error('consumer stalled, replacing it', { actor, idleMs, groupId: parts.groupId });
      parts.metrics.consumerReplaced();
      await consumer.replace();
      watchdog.progressed();
    },
  });
  return watchdog;
}
