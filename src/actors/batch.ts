// One batch of one partition: validate each message, skip orders already done (or give a fold the order's
// latest output), call the pure handler, then commit outputs, dead letters and the offset in one transaction.
import type { Config } from '../config.js';
import { correlationIdOf, createEvent, decodeEvent, orderTimeOf, type ReceivedEvent } from '../contracts/envelope.js';
import { eventTopics, type EventType } from '../contracts/events.js';
import { topic } from '../contracts/topics.js';
import { describeError, invalidMessageCodes } from '../errors.js';
import type { OutgoingMessage } from '../contracts/message.js';
import type { KafkaMessage } from '../kafka/client.js';
import type { GroupBatch } from '../kafka/group-consumer.js';
import { eventMessage } from '../kafka/event-message.js';
import { eventLogger, type Logger } from '../logger.js';
import type { ActorMetrics } from '../metrics.js';
import { outcomeOf, recordOutcomes, type EventOutcome } from './actor-metrics.js';
import type { HandledRange } from './group-commit.js';
import type { OrderLedger } from './ledger.js';
import type { OutputPlacement } from './output-placement.js';
import { deadLettered } from './dead-lettering.js';
import { endTraces, messageTrace, type MessageTrace } from './message-trace.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ActorDefinition, ActorServices, Outgoing } from './types.js';

export interface BatchDeps<In extends EventType> {
  definition: ActorDefinition<In>;
  config: Config;
  log: Logger;
  context: ActorServices;
  deadLetterTopic: string;
  groupId: string;
  ledger: Pick<OrderLedger, 'has' | 'latest' | 'hold'>;
  /** Where outputs go: by default, their keys place them. */
  placement?: Pick<OutputPlacement, 'partition'>;
  /** Told the outcome of each event once its batch committed. */
  metrics?: Pick<ActorMetrics, 'processed' | 'deadLettered' | 'eventAge'>;
  retries: Pick<RetryPolicy, 'afterHandlerFailure' | 'handled'>;
  isStopping(): boolean;
  /** Commits outputs and the handled messages' offset atomically; rejects when nothing was committed. */
  transact(messages: OutgoingMessage[], handled: HandledRange): Promise<void>;
}

/** What processBatch uses of a group member's batch payload. */
export interface BatchPayload {
  batch: GroupBatch;
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

/**
 * How a batch ended, after committing what came before the message at `offset`, if any. `retry`: that
 * message failed with a retriable error; try it again after `delayMs`. `left`: it failed while the actor
 * stops, and is left uncommitted to the partition's next owner.
 */
export type BatchOutcome =
  { kind: 'done' } | { kind: 'retry'; offset: string; delayMs: number } | { kind: 'left'; offset: string };

type MessageResult =
  | { kind: 'done'; messages: OutgoingMessage[]; outcome: EventOutcome }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'left' };

/** What one batch has done so far: orders acted on (`order`), each order's latest output (`fold`). */
interface BatchMemory {
  orders: Set<string>;
  outputs: Map<string, Outgoing['data']>;
}

function handleMessage<In extends EventType>(
  deps: BatchDeps<In>,
  message: KafkaMessage,
  source: { topic: string; partition: number },
  memory: BatchMemory,
  spans: MessageTrace,
): MessageResult {
  const { topic: topicName, partition } = source;
  const { definition, config, log, context } = deps;
  let event: ReceivedEvent<In>;
  try {
    event = decodeEvent(message.value, definition.accepts);
    spans.begin(event);
  } catch (error) {
    const { code, message: reason } = describeError(error);
    const known = (invalidMessageCodes as readonly string[]).includes(code);
    return deadLettered(deps, message, topicName, partition, known ? code : 'INVALID_ENVELOPE', reason, 1);
  }
  const orderId = event.data.orderId;
  const correlationId = correlationIdOf(event);
  const meta = {
    topic: topicName,
    partition,
    offset: message.offset,
    type: event.type,
    orderId,
    correlationId,
  };
  const folds = definition.idempotency === 'fold';
  if (!folds && (deps.ledger.has(orderId) || memory.orders.has(orderId))) {
    log.info('duplicate order skipped', meta);
    return { kind: 'done', messages: [], outcome: { outcome: 'duplicate_skipped' } };
  }
  const key = `${topicName}/${partition}/${message.offset}`;
  let outputs;
  try {
    outputs = definition.handle(event, {
      ...context,
      log: eventLogger(log, meta),
      source: { topic: topicName, partition, offset: message.offset },
      previous: folds ? (memory.outputs.get(orderId) ?? deps.ledger.latest(orderId)) : undefined,
    });
  } catch (error) {
    const reason = describeError(error);
    const verdict = deps.retries.afterHandlerFailure(key, reason.retriable, deps.isStopping());
    if (verdict.kind === 'dead-letter') {
      const text = `${reason.code}: ${reason.message}`;
      return deadLettered(deps, message, topicName, partition, 'PROCESSING_FAILED', text, verdict.attempts);
    }
    log.warn('handler attempt failed', {
      ...meta,
      attempt: verdict.attempt,
      errorCode: reason.code,
      error: reason.message,
    });
    return verdict.kind === 'retry' ? { kind: 'retry', delayMs: verdict.delayMs } : { kind: 'left' };
  }
  deps.retries.handled(key);
  if (folds) for (const output of outputs) memory.outputs.set(output.data.orderId, output.data);
  else memory.orders.add(orderId);
  const origin = { source: `webshop/${definition.name}`, correlationId, orderTime: orderTimeOf(event) };
  const messages = outputs.map((output) => {
    const [destination, id] = [topic(config.topicPrefix, eventTopics[output.type]), context.newId()];
    const trace = spans.output(destination, id, output.data.orderId);
    const event = createEvent(output.type, output.data, { ...origin, id, time: context.now(), trace });
    return { ...eventMessage(destination, event), partition: deps.placement?.partition(destination, partition) };
  });
  return { kind: 'done', messages, outcome: { outcome: outcomeOf(outputs), orderTime: origin.orderTime } };
}

/** A batch handled: how it ended, and its transaction under way (none when nothing was handled). */
export interface HandledBatch {
  outcome: BatchOutcome;
  /**
   * Resolves once the handled messages' outputs and offset are committed (then the ledger and the metrics know
   * them); rejects when their transaction failed or the batch was refused (OutOfTurn): nothing of it is visible.
   */
  committed?: Promise<void>;
}

/**
 * Processes the messages of one batch in order, up to the end, a stop, or a message to retry, and submits what was
 * processed for one transaction. Returns without waiting for it: the partition's next batch can be handled while
 * it commits (the group commit keeps a partition's batches in order and contiguous).
 */
export function processBatch<In extends EventType>(deps: BatchDeps<In>, payload: BatchPayload): HandledBatch {
  const { batch, resolveOffset, isRunning, isStale } = payload;
  const outgoing: OutgoingMessage[] = [];
  const memory: BatchMemory = { orders: new Set(), outputs: new Map() };
  const outcomes: EventOutcome[] = [];
  const traces: MessageTrace[] = [];
  let last: string | undefined;
  let outcome: BatchOutcome = { kind: 'done' };
  for (const message of batch.messages) {
    if (deps.isStopping() || !isRunning() || isStale()) break;
    const spans = messageTrace(message, { topic: batch.topic, partition: batch.partition, groupId: deps.groupId });
    const result = handleMessage(deps, message, batch, memory, spans);
    if (result.kind !== 'done') {
      spans.end(new Error(`handler failed, ${result.kind}`));
      outcome = { ...result, offset: message.offset };
      break;
    }
    outgoing.push(...result.messages);
    outcomes.push(result.outcome);
    // A trace that records is ended once the transaction has; one that does not is let go now, and with it the
    // message and its event: fewer objects outlive a young collection while the transaction commits.
    if (spans.recording) traces.push(spans);
    last = message.offset;
  }
  if (last === undefined) return { outcome };
  const firstOffset = batch.messages[0]!.offset;
  const held = deps.ledger.hold(memory.orders, memory.outputs);
  const committed = deps
    .transact(outgoing, { topic: batch.topic, partition: batch.partition, firstOffset, offset: last })
    .then(
      () => {
        held.settle(true);
        endTraces(traces);
        if (deps.metrics !== undefined) recordOutcomes(deps.metrics, outcomes, deps.context.now());
      },
      (error: unknown) => {
        held.settle(false);
        endTraces(traces, error);
        throw error;
      },
    );
  // Read on from the next message now; should the transaction fail, the runner reads the partition again from
  // where the group commit says.
  resolveOffset(last);
  return { outcome, committed };
}
