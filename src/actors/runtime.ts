// The one actor runtime: consume -> validate -> handle -> produce and commit in one transaction, with
// dead letters, paused-partition retries, idempotency by orderId, a stall watchdog, health and shutdown.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { ReceivedEvent } from '../contracts/envelope.js';
import { eventTopics, type EventData, type EventType } from '../contracts/events.js';
import { topic, type TopicName } from '../contracts/topics.js';
import { describeError } from '../errors.js';
import {
  createAdmin,
  createConsumer,
  createProducer,
  disconnectWithin,
  type Consumer,
  type EachBatchPayload,
} from '../kafka/client.js';
import { openLedger, type OrderLedger } from '../kafka/ledger.js';
import { readableEnds } from '../kafka/offsets.js';
import { isFenced } from '../kafka/producer-failure.js';
import type { Logger } from '../logger.js';
import { processBatch, retryDelay, type BatchDeps } from './batch.js';
import { createGroupCommit } from './group-commit.js';
import { startHealthServer } from './health-server.js';
import { replaceableProducer } from './transactional-producer.js';
import { startWatchdog } from './watchdog.js';

export type ActorName = 'payment' | 'shipping' | 'notification';

/** What a handler may use besides its event: settings, a logger, and the only sources of ids, time and chance. */
export interface ActorContext {
  config: Config;
  log: Logger;
  newId(): string;
  now(): Date;
  random(): number;
}

/** An event a handler wants published; the runtime wraps it in a CloudEvent and picks its topic. */
export type Outgoing = { [T in EventType]: { type: T; data: EventData[T] } }[EventType];

export interface ActorDefinition<In extends EventType> {
  name: ActorName;
  /** The consumer group, shared by every instance of the actor (TOPIC_PREFIX goes in front). */
  groupId: string;
  input: TopicName;
  accepts: readonly In[];
  /** The types `handle` returns: their topics are the actor's memory of which orders it has done. */
  emits: readonly EventType[];
  /** Pure: the events to publish for one input event. Throw a retriable WebshopError to be retried. */
  handle(event: ReceivedEvent<In>, context: ActorContext): Outgoing[];
}

export interface ActorOptions {
  log: Logger;
  /** The health port; 0 picks a free one. */
  port: number;
  /** Called when another live instance with the same id fenced this one's producer: this instance must end. */
  onFatal?(error: unknown): void;
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
  /** Fault injection for tests: pauses the consumer behind the runtime's back, as #476 does. */
  simulateStall(): void;
}

const ledgerCatchUpMs = 15000;
const abandonConsumerAfterMs = 5000;
const committedTimeoutMs = 5000;

/**
 * Starts one instance of an actor: joins its group and processes until `stop()`.
 * @example const actor = await startActor(paymentActor, config, { log, port: config.paymentPort });
 */
export async function startActor<In extends EventType>(
  definition: ActorDefinition<In>,
  config: Config,
  options: ActorOptions,
): Promise<Actor> {
  const { log } = options;
  const inputTopic = topic(config.topicPrefix, definition.input);
  // The prefix scopes groups like topics, so environments sharing a broker do not share offsets.
  const groupId = `${config.topicPrefix}${definition.groupId}`;
  const state = { running: false, stopping: false, stalled: false, lastProgressAt: Date.now(), ledgerStale: true };
  const inFlight = new Set<Promise<unknown>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const failures = new Map<number, number>();
  let consumer: Consumer;
  // The partitions this instance holds, kept from the rebalance callbacks: the client's assignment() is a
  // synchronous call that waits on librdkafka's main thread, and the watchdog and /readyz must not block the
  // event loop while the broker is away.
  const assigned = new Set<number>();

  const ready = (): boolean => state.running && !state.stopping && !state.stalled && assigned.size > 0;
  const health = await startHealthServer(config.httpHost, options.port, () => ({
    ready: ready(),
    detail: {
      actor: definition.name,
      groupId,
      assigned: state.running ? assigned.size : 0,
      stalled: state.stalled,
    },
  }));
  // Stable across restarts of this instance (same host, same port), so a restart aborts what a crash left open.
  const instanceId = config.actorInstanceId || `${hostname()}-${health.port}`;
  const producer = replaceableProducer(
    () =>
      createProducer(config, log, `${definition.name}-${instanceId}`, {
        transactionalId: `${config.topicPrefix}${definition.name}-${instanceId}`,
      }),
    log,
  );
  const admin = createAdmin(config, log, `${definition.name}-watchdog`);
  const ledgerTopics = [...new Set(definition.emits.map((type) => topic(config.topicPrefix, eventTopics[type])))];
  const onFatal =
    options.onFatal ??
    ((error: unknown) => log.error('producer fenced by another instance', { error: describeError(error) }));

  let ledger: OrderLedger;
  try {
    await Promise.all([producer.connect(), admin.connect()]);
    ledger = await openLedger(config, log, ledgerTopics, definition.emits);
  } catch (error) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), health.close()]);
    throw error;
  }

  // One transaction at a time per producer, so batches of different partitions that finish while one is
  // committing share the next transaction: a commit costs tens of milliseconds whatever it carries.
  const groupCommit = createGroupCommit((messages, consumed) => producer.commit(consumer, messages, consumed));

  const deps: BatchDeps<In> = {
    definition,
    config,
    log,
    context: { config, log, newId: randomUUID, now: () => new Date(), random: Math.random },
    inputTopic,
    deadLetterTopic: topic(config.topicPrefix, 'dead_letter'),
    groupId,
    ledger,
    attempts: new Map(),
    isStopping: () => state.stopping,
    transact: (messages, consumed) => groupCommit.submit(messages, consumed),
  };

  const pauseFor = (payload: EachBatchPayload, delayMs: number): void => {
    const resume = payload.pause();
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      resume();
    }, delayMs);
    retryTimers.add(timer);
  };

  const eachBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { partition } = payload.batch;
    const work = (async () => {
      if (state.ledgerStale) {
        state.ledgerStale = false;
        await ledger.catchUp(ledgerCatchUpMs).catch((error: unknown) => {
          state.ledgerStale = true;
          throw error;
        });
      }
      return processBatch(deps, payload);
    })();
    inFlight.add(work);
    try {
      const outcome = await work;
      failures.delete(partition);
      state.lastProgressAt = Date.now();
      if (outcome.kind === 'retry' && !state.stopping) pauseFor(payload, outcome.delayMs);
    } catch (error) {
      if (isFenced(error)) return onFatal(error);
      // A commit whose answer was lost may have gone through: read the outputs committed so far before the
      // batch is tried again, so its orders are not done twice.
      state.ledgerStale = true;
      const failed = (failures.get(partition) ?? 0) + 1;
      failures.set(partition, failed);
      const delayMs = retryDelay(config, failed);
      log.warn('batch not committed, retrying', { topic: inputTopic, partition, delayMs, error: describeError(error) });
      // Nothing was resolved, so the client seeks back to the batch's first message.
      if (!state.stopping) pauseFor(payload, delayMs);
    } finally {
      inFlight.delete(work);
    }
  };

  const startConsumer = async (): Promise<Consumer> => {
    const created = createConsumer(config, log, `${definition.name}-${instanceId}`, {
      groupId,
      onAssign: (partitions) => {
        for (const { partition } of partitions) assigned.add(partition);
        state.ledgerStale = true;
        state.lastProgressAt = Date.now();
        log.info('partitions assigned', { partitions: partitions.map(({ partition }) => partition) });
      },
      // Batches of revoked partitions finish and commit (in their transaction) before the partitions go.
      onRevoke: async (partitions) => {
        for (const { partition } of partitions) assigned.delete(partition);
        log.info('partitions revoked', { partitions: partitions.map(({ partition }) => partition) });
        await Promise.allSettled(inFlight);
      },
    });
    await created.connect();
    await created.subscribe({ topics: [inputTopic] });
    await created.run({
      eachBatch,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.actorConcurrency,
    });
    return created;
  };

  const hasPendingWork = async (): Promise<boolean> => {
    if (assigned.size === 0) return false;
    const held = [...assigned].map((partition) => ({ topic: inputTopic, partition }));
    try {
      // The consumer's own committed(), not admin.fetchOffsets: a ListConsumerGroupOffsets that timed out while
      // the broker was away aborts the process when the broker comes back (librdkafka 2.x enq_once assertion).
      const committed = await consumer.committed(held, committedTimeoutMs);
      // Work an open transaction holds back is not readable yet: waiting for it is not a stall.
      const ends = await readableEnds(admin, inputTopic);
      // A transaction's commit marker takes one offset: a partition at rest can be one past its committed offset.
      return ends.some(({ partition, high, low }) => {
        const at = Number(committed.find((entry) => entry.partition === partition)?.offset ?? -1);
        return assigned.has(partition) && Number(high) - (at < 0 ? Number(low) : at) > 1;
      });
    } catch {
      return false;
    }
  };

  try {
    consumer = await startConsumer();
  } catch (error) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), health.close(), ledger.close()]);
    throw error;
  }
  state.running = true;
  log.info('actor started', { actor: definition.name, groupId, topic: inputTopic, port: health.port, instanceId });

  const watchdog = startWatchdog({
    stallTimeoutMs: config.stallTimeoutMs,
    lastProgressAt: () => state.lastProgressAt,
    hasPendingWork,
    watching: () => state.running && !state.stopping && retryTimers.size === 0 && inFlight.size === 0,
    async onStall(idleMs) {
      state.stalled = true;
      log.error('consumer stalled, replacing it', { actor: definition.name, idleMs, groupId });
      const stuck = consumer;
      await disconnectWithin(stuck, abandonConsumerAfterMs);
      // The new consumer is given its partitions afresh.
      assigned.clear();
      consumer = await startConsumer();
      state.lastProgressAt = Date.now();
      state.stalled = false;
      log.info('consumer replaced', { actor: definition.name });
    },
  });

  const stop = async ({ processExiting = false } = {}): Promise<void> => {
    if (state.stopping) return;
    state.stopping = true;
    watchdog.stop();
    for (const timer of retryTimers) clearTimeout(timer);
    log.info('actor stopping', { actor: definition.name, inFlight: inFlight.size });
    await Promise.allSettled(inFlight);
    // Offsets were committed inside each batch's transaction; leaving the group now revokes nothing pending.
    await consumer.disconnect();
    await producer.disconnect();
    await Promise.allSettled([processExiting ? undefined : ledger.close(), admin.disconnect(), health.close()]);
    state.running = false;
    log.info('actor stopped', { actor: definition.name });
  };

  return {
    port: health.port,
    ready,
    stop,
    simulateStall: () => {
      consumer.pause([{ topic: inputTopic, partitions: [...assigned] }]);
    },
  };
}
