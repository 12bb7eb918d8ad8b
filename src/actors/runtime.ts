// The one actor runtime: consume -> validate -> handle -> produce -> commit, dead letters, retries,
// health and graceful shutdown. The three actors differ only in their definition (input, handler).
import { randomUUID } from 'node:crypto';
import pRetry from 'p-retry';
import type { Config } from '../config.js';
import { deadLetter } from '../contracts/dead-letter.js';
import { createEvent, decodeEvent, type CloudEvent } from '../contracts/envelope.js';
import { eventTopics, type EventData, type EventType } from '../contracts/events.js';
import { topic, type TopicName } from '../contracts/topics.js';
import { describeError, invalidMessageCodes } from '../errors.js';
import {
  createConsumer,
  createProducer,
  eventMessage,
  nextOffset,
  produce,
  type EachBatchPayload,
  type KafkaMessage,
  type OutgoingMessage,
} from '../kafka/client.js';
import type { Logger } from '../logger.js';
import { startHealthServer, type HealthServer } from './health-server.js';

export type ActorName = 'payment' | 'shipping' | 'notification';

/** What a handler may use besides its event: settings, a logger, and the only sources of ids and time. */
export interface ActorContext {
  config: Config;
  log: Logger;
  newId(): string;
  now(): Date;
}

/** An event a handler wants published; the runtime wraps it in a CloudEvent and picks its topic. */
export type Outgoing = { [T in EventType]: { type: T; data: EventData[T] } }[EventType];

export interface ActorDefinition<In extends EventType> {
  name: ActorName;
  /** The consumer group, shared by every instance of the actor (TOPIC_PREFIX goes in front). */
  groupId: string;
  input: TopicName;
  accepts: readonly In[];
  /** Pure: the events to publish for one input event. Throw a retriable WebshopError to be retried. */
  handle(event: CloudEvent<In>, context: ActorContext): Outgoing[];
}

export interface ActorOptions {
  log: Logger;
  /** The health port; 0 picks a free one. */
  port: number;
}

export interface Actor {
  /** The health server's port. */
  port: number;
  ready(): boolean;
  /** Stops taking work, commits what is done, disconnects. Resolves when everything is closed. */
  stop(): Promise<void>;
}

/**
 * Starts one instance of an actor: joins its group, processes until `stop()`.
 * @example const actor = await startActor(paymentActor, config, { log, port: config.paymentPort });
 */
export async function startActor<In extends EventType>(
  definition: ActorDefinition<In>,
  config: Config,
  options: ActorOptions,
): Promise<Actor> {
  const { log } = options;
  const clientId = `${definition.name}-${process.pid}`;
  // The prefix scopes groups like topics, so environments sharing a broker do not share offsets.
  const groupId = `${config.topicPrefix}${definition.groupId}`;
  const inputTopic = topic(config.topicPrefix, definition.input);
  const deadLetterTopic = topic(config.topicPrefix, 'dead_letter');
  const context: ActorContext = { config, log, newId: randomUUID, now: () => new Date() };
  const producer = createProducer(config, log, clientId);
  const consumer = createConsumer(config, log, clientId, { groupId });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let running = false;

  const outputsOf = async (message: KafkaMessage, partition: number): Promise<OutgoingMessage[]> => {
    const where = { topic: inputTopic, partition, offset: message.offset };
    let attempts = 0;
    try {
      const event = decodeEvent(message.value, definition.accepts);
      const meta = { ...where, type: event.type, orderId: event.subject, correlationId: event.correlationid };
      const outputs = await pRetry(
        () => {
          attempts += 1;
          return definition.handle(event, { ...context, log: log.child(meta) });
        },
        {
          retries: config.retryAttempts - 1,
          factor: 2,
          minTimeout: config.retryBaseMs,
          maxTimeout: config.retryMaxMs,
          shouldRetry: ({ error }) => describeError(error).retriable && !stopping,
          onFailedAttempt: ({ error, attemptNumber }) => {
            log.warn('handler attempt failed', { ...meta, attempt: attemptNumber, error: describeError(error) });
          },
        },
      );
      const origin = { source: `webshop/${definition.name}`, correlationId: event.correlationid };
      return outputs.map((output) =>
        eventMessage(
          topic(config.topicPrefix, eventTopics[output.type]),
          createEvent(output.type, output.data, { ...origin, id: context.newId(), time: context.now() }),
        ),
      );
    } catch (error) {
      const reason = describeError(error);
      const invalid = (invalidMessageCodes as readonly string[]).includes(reason.code);
      if (!invalid && reason.retriable && stopping) throw error;
      const code = invalid ? reason.code : 'PROCESSING_FAILED';
      log.error('message dead-lettered', { ...where, deadLetterTopic, errorCode: code, error: reason.message });
      return [
        deadLetter(
          deadLetterTopic,
          message,
          { topic: inputTopic, partition, groupId, actor: definition.name },
          { code, message: reason.message, attempts: Math.max(attempts, 1), failedAt: context.now() },
        ),
      ];
    }
  };

  const processBatch = async ({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const outgoing: OutgoingMessage[] = [];
    let last: string | undefined;
    for (const message of batch.messages) {
      if (stopping || !isRunning() || isStale()) break;
      outgoing.push(...(await outputsOf(message, batch.partition)));
      last = message.offset;
    }
    if (last === undefined) return;
    // Outputs and dead letters are acknowledged before the offset moves: a crash here redelivers, never skips.
    await produce(producer, outgoing);
    resolveOffset(last);
    try {
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset(last) }]);
    } catch (error) {
      // The next commit of this partition covers this one; redelivery after a crash is the worst case.
      log.warn('offset commit failed', { topic: batch.topic, partition: batch.partition, error: describeError(error) });
    }
  };

  const eachBatch = (payload: EachBatchPayload): Promise<void> => {
    const work = processBatch(payload).catch((error: unknown) => {
      log.error('batch failed, it will be redelivered', {
        topic: payload.batch.topic,
        partition: payload.batch.partition,
        error: describeError(error),
      });
      throw error;
    });
    const tracked = work.catch(() => undefined).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return work;
  };

  let health: HealthServer | undefined;
  const ready = (): boolean => running && !stopping && consumer.assignment().length > 0;

  try {
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topics: [inputTopic] });
    await consumer.run({
      eachBatch,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.actorConcurrency,
    });
    running = true;
    health = await startHealthServer(config.httpHost, options.port, () => ({
      ready: ready(),
      detail: { actor: definition.name, groupId, assigned: consumer.assignment().length },
    }));
  } catch (error) {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    throw error;
  }
  log.info('actor started', {
    actor: definition.name,
    groupId,
    topic: inputTopic,
    port: health.port,
  });

  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('actor stopping', { actor: definition.name, inFlight: inFlight.size });
    await Promise.all(inFlight);
    // Commit before disconnecting: a commit during disconnect's revoke fails (confluent-kafka-javascript#90).
    await consumer.commitOffsets().catch((error: unknown) => {
      log.warn('final commit failed', { error: describeError(error) });
    });
    await consumer.disconnect();
    await producer.flush({ timeout: config.shutdownTimeoutMs / 2 }).catch(() => undefined);
    await producer.disconnect();
    await health?.close();
    running = false;
    log.info('actor stopped', { actor: definition.name });
  };

  return { port: health.port, ready, stop };
}
