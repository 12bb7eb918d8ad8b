// The one actor runtime: consume -> validate -> handle -> produce and commit in one transaction, with dead
// letters, retries, idempotency (by orderId, or a fold's own), a stall watchdog, health and shutdown, composed here.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { EventType } from '../contracts/events.js';
import { topic } from '../contracts/topics.js';
import { describeError } from '../errors.js';
import { sharedMetrics } from '../metrics.js';
import { createAdmin, memberSettings } from '../kafka/client.js';
import { joinGroup } from '../kafka/group-consumer.js';
import { renewingAdmin } from '../kafka/renewing-admin.js';
import { actorConsumer } from './actor-consumer.js';
import { actorWatchdog } from './actor-watchdog.js';
import { countingRetries, timedCommit } from './actor-metrics.js';
import { processBatch, type BatchDeps } from './batch.js';
import { batchRunner } from './batch-runner.js';
import { createGroupCommit } from './group-commit.js';
import { startHealthServer } from './health-server.js';
import { openActorLedger, outputTopics } from './actor-ledger.js';
import type { OrderLedger } from './ledger.js';
import { outputPlacement, type OutputPlacement } from './output-placement.js';
import { createLifecycle } from './lifecycle.js';
import { createRetryPolicy } from './retry-policy.js';
import { instanceProducer } from './transactional-producer.js';
import type { Actor, ActorDefinition, ActorOptions } from './types.js';

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
  const inputTopics = definition.inputs.map((name) => topic(config.topicPrefix, name));
  const coPartitioned = inputTopics.length > 1;
  // The prefix scopes groups like topics, so environments sharing a broker do not share offsets.
  const groupId = `${config.topicPrefix}${definition.groupId}`;
  const reading = { groupId, coPartitioned, statistics: true, fetchWaitMs: definition.fetchWaitMs?.(config) };
  const lifecycle = createLifecycle();
  const { registry, actor: metricsOf } = options.metrics ?? sharedMetrics();
  const metrics = metricsOf(definition.name);
  // The parts call each other through closures, and each such call comes once all of them are built.
  const consumer = actorConsumer({
    join: (changes) =>
      joinGroup(memberSettings(config, `${definition.name}-${instanceId}`, reading), {
        ...changes,
        topics: inputTopics,
        batchSize: config.actorBatchSize,
        concurrency: config.actorConcurrency,
        eachBatch: (payload) => {
          metrics.batch(payload.batch.messages.length);
          return runner.eachBatch(payload);
        },
        onLag: metrics.lag,
        newConsumer: options.newConsumer,
        log,
      }),
    topics: inputTopics,
    onAssign: (partitions) => {
      metrics.rebalanced('assigned');
      groupCommit.forget(partitions);
      ledger.markStale();
      ownOutputs();
      watchdog.progressed();
    },
    onRevoke: async (partitions) => {
      metrics.rebalanced('revoked');
      await runner.settled();
      groupCommit.forget(partitions);
      ownOutputs();
    },
    log,
  });

  const ready = (): boolean => lifecycle.running() && !consumer.replacing() && consumer.holding().size > 0;
  const holdsPartitions = (): boolean => lifecycle.state() === 'running' || lifecycle.state() === 'stopping';
  const health = await startHealthServer(
    config.httpHost,
    options.port,
    () => ({
      ready: ready(),
      detail: {
        actor: definition.name,
        groupId,
        assigned: holdsPartitions() ? consumer.holding().size : 0,
        stalled: consumer.replacing(),
      },
    }),
    registry,
  );
  // Stable across restarts of this instance (same host, same port), so a restart aborts what a crash left open.
  const instanceId = config.actorInstanceId || `${hostname()}-${health.port}`;
  const producer = instanceProducer(config, log, `${definition.name}-${instanceId}`);
  const admins = renewingAdmin(() => createAdmin(config, log, `${definition.name}-watchdog`));
  const onFatal =
    options.onFatal ??
    ((error: unknown) => log.error('producer fenced by another instance', { error: describeError(error) }));

  const closeAll = (ledgerToo: boolean) =>
    Promise.allSettled([
      producer.disconnect(),
      admins.disconnect(),
      health.close(),
      ledgerToo ? ledger.close() : undefined,
    ]);
  const failedStart = async (error: unknown, ledgerToo: boolean): Promise<never> => {
    await closeAll(ledgerToo);
    lifecycle.moveTo('stopped');
    throw error;
  };

  let ledger: OrderLedger;
  let placement: OutputPlacement;
  try {
    await Promise.all([producer.connect(), admins.connect()]);
    placement = await outputPlacement(admins.current(), inputTopics, outputTopics(definition, config));
    ledger = await openActorLedger(definition, config, log);
  } catch (error) {
    return failedStart(error, false);
  }
  // Only this instance writes the output partitions of the input partitions it holds: its ledger knows them.
  const ownOutputs = (): void => ledger.own(placement.followsInputs ? consumer.holding() : new Set());

  // One transaction at a time per producer, so batches of different partitions that finish while one is
  // committing share the next transaction: a commit costs tens of milliseconds whatever it carries.
  const groupCommit = createGroupCommit(
    timedCommit(async (messages, consumed) => {
      ledger.wrote(await producer.commit(consumer.current(), messages, consumed));
    }, metrics),
    // Batches handled from now on must not build on what failed to commit, which may have committed after all.
    {
      onFailure: () => ledger.failed(),
      intervalMs: definition.commitIntervalMs?.(config) ?? config.actorCommitIntervalMs,
    },
  );
  const retries = countingRetries(createRetryPolicy(config), metrics);
  const batchDeps: BatchDeps<In> = {
    definition,
    config,
    log,
    context: { config, log, newId: randomUUID, now: () => new Date(), random: options.random ?? Math.random },
    deadLetterTopic: topic(config.topicPrefix, 'dead_letter'),
    groupId,
    ledger,
    placement,
    retries,
    isStopping: lifecycle.stopping,
    transact: (messages, handled) => groupCommit.submit(messages, handled),
    metrics,
  };
  const runner = batchRunner({
    process: (payload) => processBatch(batchDeps, payload),
    seek: (input, partition, offset) => consumer.current().seek(input, partition, offset),
    ledger,
    retries,
    isStopping: lifecycle.stopping,
    progressed: () => watchdog.progressed(),
    onFatal,
    topic: inputTopics.join(','),
    log,
  });

  const watchdog = actorWatchdog({
    ...{ actor: definition.name, groupId, stallTimeoutMs: config.stallTimeoutMs, inputTopics },
    ...{ consumer, admins, runner, lifecycle, metrics, log },
  });

  try {
    await consumer.start();
  } catch (error) {
    return failedStart(error, true);
  }
  lifecycle.moveTo('running');
  watchdog.start();
  log.info('actor started', { actor: definition.name, groupId, topics: inputTopics, port: health.port, instanceId });

  const stop = async ({ processExiting = false } = {}): Promise<void> => {
    if (!lifecycle.running()) return;
    lifecycle.moveTo('stopping');
    watchdog.stop();
    const retriesLeft = runner.cancelRetries();
    log.info('actor stopping', { actor: definition.name, inFlight: runner.inFlight(), retriesLeft });
    await runner.settled();
    // Offsets were committed inside each batch's transaction; leaving the group now revokes nothing pending.
    await consumer.disconnect();
    metrics.lag([]);
    await producer.disconnect();
    await Promise.allSettled([processExiting ? undefined : ledger.close(), admins.disconnect(), health.close()]);
    lifecycle.moveTo('stopped');
    log.info('actor stopped', { actor: definition.name });
  };

  return { port: health.port, ready, stop };
}
