// An actor's ledger (ledger.ts) on its own output topics: which they are, read from the beginning, or, with
// LEDGER_WINDOW_HOURS, from as far back as the window remembers (not a fold's: the status actor keeps every record).
import type { Config } from '../config.js';
import { eventTopics, type EventType } from '../contracts/events.js';
import { topic } from '../contracts/topics.js';
import { followTopics } from '../kafka/follower.js';
import type { Logger } from '../logger.js';
import { openLedger, type OrderLedger } from './ledger.js';
import { rememberedSince } from './order-memory.js';
import type { ActorDefinition } from './types.js';

/** The topics an actor writes its outputs to. */
export function outputTopics(definition: Pick<ActorDefinition<EventType>, 'emits'>, config: Config): string[] {
  return [...new Set(definition.emits.map((type) => topic(config.topicPrefix, eventTopics[type])))];
}

/**
 * An actor's ledger, read from its own output topics (read_committed) and then followed.
 * @example const ledger = await openActorLedger(paymentActor, config, log);
 */
export function openActorLedger<In extends EventType>(
  definition: ActorDefinition<In>,
  config: Config,
  log: Logger,
): Promise<OrderLedger> {
  const topics = outputTopics(definition, config);
  const { supersedes } = definition;
  const folds = definition.idempotency === 'fold';
  // A fold's ledger is its projection's state: an order forgotten there would start a record of its own again.
  const windowMs = folds ? 0 : config.ledgerWindowHours * 3_600_000;
  const since = rememberedSince(windowMs, Date.now());
  return openLedger(
    definition.emits,
    (onMessage) =>
      followTopics(config, log, {
        topics,
        onMessage: (_topic, _partition, message) => onMessage(message),
        ...(since === undefined ? {} : { since }),
      }),
    {
      // Without `supersedes`, the output read or added last wins.
      outputs: folds ? { supersedes: supersedes ?? (() => true) } : undefined,
      topics,
      windowMs,
    },
  );
}
