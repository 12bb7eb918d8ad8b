// The dead-letter topics' messages in the AsyncAPI document: a dead letter with every dlq-* header and what it
// says, and the replay record of `make dlq-replay`.
import { errorCodes } from '../errors.js';
import { deadLetterHeaders, replayRecordSchema } from './dead-letter.js';
import { cloudEventContentType } from './envelope.js';
import { exampleEvent, replayHeaderSchemas, type JsonSchema, type MessageContract } from './message-contracts.js';

/** What each dlq-* header says; a header added to deadLetterHeaders needs its line here. */
const deadLetterHeaderMeanings: { [K in keyof typeof deadLetterHeaders]: [JsonSchema, string] } = {
  originalTopic: [{ type: 'string' }, 'The topic the message was read from.'],
  originalPartition: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its partition.'],
  originalOffset: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its offset.'],
  originalTimestamp: [{ type: 'string', pattern: '^[0-9]+$' }, 'Its timestamp, in ms since the epoch.'],
  consumerGroup: [{ type: 'string' }, 'The consumer group that read it.'],
  actor: [{ type: 'string' }, 'The actor that gave up on it.'],
  errorCode: [{ type: 'string', enum: [...errorCodes] }, 'Why: the error code.'],
  errorMessage: [{ type: 'string', maxLength: 1000 }, 'Why, in words.'],
  failedAt: [{ type: 'string', format: 'date-time' }, 'When it was dead-lettered.'],
  attempts: [{ type: 'string', pattern: '^[0-9]+$' }, 'How many times the handler tried it.'],
};

export const deadLetterMessage: MessageContract = {
  name: 'deadLetter',
  title: 'dead letter',
  summary: 'A message an actor could not use: its key, value bytes and headers unchanged, plus the dlq-* headers.',
  contentType: cloudEventContentType,
  key: { type: ['string', 'null'], description: "The failed message's key, unchanged." },
  headers: {
    type: 'object',
    required: Object.values(deadLetterHeaders),
    properties: {
      ...Object.fromEntries(
        Object.entries(deadLetterHeaderMeanings).map(([key, [schema, description]]) => [
          deadLetterHeaders[key as keyof typeof deadLetterHeaders],
          { ...(schema as object), description },
        ]),
      ),
      ...replayHeaderSchemas,
    },
    additionalProperties: { type: 'string', description: "The failed message's own headers, kept." },
  },
  payload: { description: "The failed message's value, byte for byte: anything a producer wrote." },
  example: {
    key: '123',
    headers: {
      'content-type': cloudEventContentType,
      [deadLetterHeaders.originalTopic]: 'order_created',
      [deadLetterHeaders.originalPartition]: '3',
      [deadLetterHeaders.originalOffset]: '42',
      [deadLetterHeaders.originalTimestamp]: '1795707138681',
      [deadLetterHeaders.consumerGroup]: 'payment',
      [deadLetterHeaders.actor]: 'payment',
      [deadLetterHeaders.errorCode]: 'SCHEMA_VIOLATION',
      [deadLetterHeaders.errorMessage]: 'webshop.order.created data is invalid: data/amount must be number',
      [deadLetterHeaders.failedAt]: '2026-11-26T15:32:18.690Z',
      [deadLetterHeaders.attempts]: '1',
    },
    payload: { ...exampleEvent('webshop.order.created', 'webshop/order'), data: { orderId: '123', amount: '50' } },
  },
};

export const replayMessage: MessageContract = {
  name: 'deadLetterReplay',
  title: 'dead-letter replay',
  summary: 'That `make dlq-replay` re-published a dead letter; a tombstone (null value) forgets it.',
  contentType: 'application/json',
  key: { type: 'string', pattern: '^[0-9]+/[0-9]+$', description: "The dead letter's `<partition>/<offset>`." },
  headers: { type: 'object' },
  payload: replayRecordSchema as JsonSchema,
  example: {
    key: '3/17',
    headers: {},
    payload: { replayedAt: '2026-11-27T09:00:00.000Z', originalTopic: 'order_created' },
  },
};
