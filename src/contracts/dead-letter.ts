// The dead-letter contract: which headers a dead letter carries, and how one is built from the message
// that failed (its key, value and headers untouched) so it can be read, understood and replayed.
import type { JSONSchemaType } from 'ajv';
import type { ErrorCode } from '../errors.js';
import { copiedHeaders, type ConsumedMessage, type OutgoingMessage } from './message.js';

export const deadLetterHeaders = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  originalTimestamp: 'dlq-original-timestamp',
  consumerGroup: 'dlq-consumer-group',
  actor: 'dlq-actor',
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  failedAt: 'dlq-failed-at',
  attempts: 'dlq-attempts',
} as const;

/** Headers of a replayed message. Not dlq-*: they survive when the message is dead-lettered again. */
export const replayHeaders = { replayOf: 'replay-of', replayedAt: 'replayed-at' } as const;

/** The value of a record in dead_letter_replays, keyed by the dead letter's `<partition>/<offset>`. */
export interface ReplayRecord {
  replayedAt: string;
  originalTopic: string;
}

/** The JSON Schema of a dead_letter_replays value, as `make dlq-replay` writes it. */
export const replayRecordSchema: JSONSchemaType<ReplayRecord> = {
  type: 'object',
  additionalProperties: false,
  required: ['replayedAt', 'originalTopic'],
  properties: {
    replayedAt: { type: 'string', format: 'date-time' },
    originalTopic: { type: 'string', minLength: 1 },
  },
};

export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  groupId: string;
  actor: string;
}

export interface DeadLetterReason {
  code: ErrorCode;
  message: string;
  attempts: number;
  failedAt: Date;
}

/**
 * The dead letter of `message`: same key and value bytes, its own headers kept, the dlq-* headers added.
 * @example deadLetter('dead_letter', message, { topic, partition, groupId: 'payment', actor: 'payment' }, reason)
 */
export function deadLetter(
  deadLetterTopic: string,
  message: ConsumedMessage,
  origin: DeadLetterOrigin,
  reason: DeadLetterReason,
): OutgoingMessage {
  return {
    topic: deadLetterTopic,
    key: message.key,
    value: message.value,
    headers: {
      ...copiedHeaders(message, (name) => name.startsWith('dlq-')),
      [deadLetterHeaders.originalTopic]: origin.topic,
      [deadLetterHeaders.originalPartition]: String(origin.partition),
      [deadLetterHeaders.originalOffset]: message.offset,
      [deadLetterHeaders.originalTimestamp]: message.timestamp,
      [deadLetterHeaders.consumerGroup]: origin.groupId,
      [deadLetterHeaders.actor]: origin.actor,
      [deadLetterHeaders.errorCode]: reason.code,
      [deadLetterHeaders.errorMessage]: reason.message.slice(0, 1000),
      [deadLetterHeaders.failedAt]: reason.failedAt.toISOString(),
      [deadLetterHeaders.attempts]: String(reason.attempts),
    },
  };
}
