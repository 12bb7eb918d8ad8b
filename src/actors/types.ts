// The types of an actor: its definition (what the three actors declare), the context a handler gets,
// and the options and interface of a running instance. Every part of the runtime imports them from here.
import type { Config } from '../config.js';
import type { ReceivedEvent } from '../contracts/envelope.js';
import type { EventData, EventType } from '../contracts/events.js';
import type { TopicName } from '../contracts/topics.js';
import type { MemberFactory } from '../kafka/group-consumer.js';
import type { EventLogger, Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export type ActorName = 'payment' | 'shipping' | 'notification' | 'status';

/** What every handler call may use: settings, a logger, and the only sources of ids, time and chance. */
export interface ActorServices {
  config: Config;
  log: Logger;
  newId(): string;
  now(): Date;
  random(): number;
}

/** Where an input event was read. */
export interface EventSource {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * What a handler gets besides its event: the services, where the event was read, and (fold) the order's state. Its
 * logger's lines carry the event's orderId, type, correlationId and where it was read.
 */
export interface ActorContext extends Omit<ActorServices, 'log'> {
  log: EventLogger;
  source: EventSource;
  /** With `idempotency: 'fold'`: the order's latest output, committed or earlier in the batch; else undefined. */
  previous?: Outgoing['data'];
}

/** An event a handler wants published; the runtime wraps it in a CloudEvent and picks its topic. */
export type Outgoing = { [T in EventType]: { type: T; data: EventData[T] } }[EventType];

export interface ActorDefinition<In extends EventType> {
  name: ActorName;
  /** The consumer group, shared by every instance of the actor (TOPIC_PREFIX goes in front). */
  groupId: string;
  /**
   * The topics it consumes. Several inputs must be co-partitioned by orderId (same partition count): the
   * runtime then assigns partition p of every input to the same instance and folds them one at a time.
   */
  inputs: readonly TopicName[];
  accepts: readonly In[];
  /** The types `handle` returns: their topics are the actor's memory of which orders it has done. */
  emits: readonly EventType[];
  /**
   * How a replayed event is kept from being acted on twice. `order` (the default): the runtime skips an order
   * that has an output. `fold`: the handler gets the order's latest output as `context.previous`, returns
   * nothing for an event it has already folded, and `supersedes` says which of two outputs is the later one.
   */
  idempotency?: 'order' | 'fold';
  /** With `fold`: true when output `next` is at least as far along as `current` (read-back order is not commit order). */
  supersedes?(next: Outgoing['data'], current: Outgoing['data']): boolean;
  /** Least time between the starts of two of an instance's transactions: ACTOR_COMMIT_INTERVAL_MS unless given. */
  commitIntervalMs?(config: Config): number;
  /**
   * How long the broker may hold a fetch of the inputs for more (`fetch.wait.max.ms`, with a `fetch.min.bytes` it
   * seldom reaches). Absent or 0: a fetch is answered as soon as anything is there.
   */
  fetchWaitMs?(config: Config): number;
  /** Pure: the events to publish for one input event. Throw a retriable WebshopError to be retried. */
  handle(event: ReceivedEvent<In>, context: ActorContext): Outgoing[];
}

export interface ActorOptions {
  log: Logger;
  /** The health port; 0 picks a free one. */
  port: number;
  /** Called when another live instance with the same id fenced this one's producer: this instance must end. */
  onFatal?(error: unknown): void;
  /** Builds the client's consumer of the first group member and of each replacement (a test's can be stalled). */
  newConsumer?: MemberFactory;
  /** The handlers' source of chance (e.g. PAYMENT_FAILURE_RATE's draws); Math.random unless given. */
  random?(): number;
  /** The registry `/metrics` serves and the runtime records into; the process's shared one unless given. */
  metrics?: Metrics;
}

export interface Actor {
  /** The health server's port. */
  port: number;
  ready(): boolean;
  /**
   * Stops taking work, commits what is done, leaves the group. Resolves when everything is closed; with
   * `processExiting` the ledger's reader is left to the exit (its close can hang librdkafka's teardown).
   */
  stop(options?: { processExiting?: boolean }): Promise<void>;
}
