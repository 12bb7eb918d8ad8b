// Dead-lettering one message an actor cannot handle: the log line, and the dead letter (its key, value and
// headers kept, trace context included) that goes out in the batch's transaction in place of outputs.
import { deadLetter } from '../contracts/dead-letter.js';
import type { OutgoingMessage } from '../contracts/message.js';
import type { ErrorCode } from '../errors.js';
import type { KafkaMessage } from '../kafka/client.js';
import type { Logger } from '../logger.js';
import type { EventOutcome } from './actor-metrics.js';
import type { ActorDefinition, ActorServices } from './types.js';

/** What dead-lettering needs of the batch's dependencies. */
export interface DeadLetterDeps {
  log: Logger;
  deadLetterTopic: string;
  groupId: string;
  definition: Pick<ActorDefinition<never>, 'name'>;
  context: Pick<ActorServices, 'now'>;
}

/** Logs the failure and gives the dead letter of `message` with its outcome, for the batch's transaction. */
export function deadLettered(
  deps: DeadLetterDeps,
  message: KafkaMessage,
  topicName: string,
  partition: number,
  code: ErrorCode,
  reason: string,
  attempts: number,
): { kind: 'done'; messages: OutgoingMessage[]; outcome: EventOutcome } {
  const { log, deadLetterTopic, groupId, definition, context } = deps;
  log.error('message dead-lettered', {
    topic: topicName,
    partition,
    offset: message.offset,
    deadLetterTopic,
    errorCode: code,
    error: reason,
    attempts,
  });
  const origin = { topic: topicName, partition, groupId, actor: definition.name };
  return {
    kind: 'done',
    messages: [
      deadLetter(deadLetterTopic, message, origin, { code, message: reason, attempts, failedAt: context.now() }),
    ],
    outcome: { outcome: 'dead_lettered', code },
  };
}
