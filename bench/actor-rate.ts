// Step 5: one actor's own rate. Its input topic is preloaded with valid events, then only that actor is
// started and timed from ready (partitions assigned) until its group's committed offsets reach the end.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic, type TopicName } from '../src/contracts/topics.js';
import { createAdmin } from '../src/kafka/client.js';
import type { Logger } from '../src/logger.js';
import type { BenchProcess } from './bench-process.js';
import { groupPosition } from './group-offsets.js';
import { coresByStep, openWindow } from './measured-windows.js';
import type { InputEventType } from './order-events.js';
import { preloadEvents, type PreloadResult } from './preload.js';
import { showProgress } from './progress.js';
import { transactionCount } from './transaction-counts.js';
import { startShopService, type ServiceSettings } from './shop-services.js';

export type ActorName = 'payment' | 'shipping' | 'notification';

/** Each actor's input topic and the event type on it. */
export const actorInputs: Record<ActorName, { input: TopicName; type: InputEventType }> = {
  payment: { input: 'order_created', type: 'webshop.order.created' },
  shipping: { input: 'payment_completed', type: 'webshop.payment.completed' },
  notification: { input: 'payment_failed', type: 'webshop.payment.failed' },
};

/** How fast a consumer-process-produce application worked through a preloaded input. */
export interface PreloadedRate {
  preload: PreloadResult;
  /** Spawn to ready (for the peer: its JVM warm-up included). */
  startupMs: number;
  /** Events whose offsets it committed. */
  committed: number;
  /** From ready to the committed offsets reaching the end (or to the cap). */
  seconds: number;
  perS: number;
  caughtUp: boolean;
  /** CPU seconds per 100,000 committed events: the process's own, and the broker's meanwhile. */
  cpuSPer100k: { process: number; broker: number };
  /** For a shop actor: the input events its transactions carried on average (its own metrics). */
  eventsPerTransaction?: number;
}

/** A rate's timed part, without its preload. */
export type TimedRate = Omit<PreloadedRate, 'preload'>;

/** The timed part of `rate`, without its preload or anything else. */
export function timedPart(rate: TimedRate): TimedRate {
  const { startupMs, committed, seconds, perS, caughtUp, cpuSPer100k, eventsPerTransaction } = rate;
  return { startupMs, committed, seconds, perS, caughtUp, cpuSPer100k, eventsPerTransaction };
}

export interface ActorRate extends PreloadedRate {
  actor: ActorName;
}

/**
 * Starts the process `start` gives and times it from ready until `groupId` committed every event of `inputTopic`
 * (`events` of them, already preloaded), or until `capS`. With `countsTransactions`, the process is a shop actor
 * whose metrics say how many events its transactions carried.
 */
export async function timeCatchUp(
  config: Config,
  log: Logger,
  { groupId, inputTopic, events, capS }: { groupId: string; inputTopic: string; events: number; capS: number },
  start: () => Promise<BenchProcess>,
  countsTransactions = false,
): Promise<TimedRate> {
  const admin = createAdmin(config, log, 'bench-actor-rate');
  await admin.connect();
  const group = { groupId, topic: inputTopic };
  const service = await start();
  const started = performance.now();
  const endWindow = openWindow(service.name, [{ label: service.name, pid: service.pid }]);
  let committed = 0;
  const stopProgress = showProgress(service.name, () => `${committed} / ${events} events committed`);
  try {
    const deadline = started + capS * 1000;
    let caughtUp = false;
    while (!caughtUp && performance.now() < deadline) {
      await sleep(50);
      const position = await groupPosition(admin, group);
      committed = position.committed;
      caughtUp = position.end >= events && position.lag === 0;
    }
    endWindow();
    const seconds = (performance.now() - started) / 1000;
    const cores = coresByStep()[service.name] ?? {};
    const per100k = (used = 0): number => Math.round(((used * seconds * 100_000) / Math.max(1, committed)) * 10) / 10;
    const counted = countsTransactions ? await transactionCount(service.port) : undefined;
    return {
      startupMs: service.startupMs,
      committed,
      seconds: Math.round(seconds * 100) / 100,
      perS: Math.round(committed / seconds),
      caughtUp,
      cpuSPer100k: { process: per100k(cores[service.name]), broker: per100k(cores.broker) },
      ...(counted && counted.transactions > 0
        ? { eventsPerTransaction: Math.round((counted.events / counted.transactions) * 10) / 10 }
        : {}),
    };
  } finally {
    stopProgress();
    await service.stop();
    await admin.disconnect();
  }
}

/**
 * Preloads `events` on the actor's input under `config.topicPrefix` (topics already created) and times it; `label`
 * names its process, log and measured window (default `rate-<actor>`).
 */
export async function measureActorRate(
  config: Config,
  log: Logger,
  settings: ServiceSettings,
  { actor, events, capS, label = `rate-${actor}` }: { actor: ActorName; events: number; capS: number; label?: string },
): Promise<ActorRate> {
  const { input, type } = actorInputs[actor];
  const inputTopic = topic(config.topicPrefix, input);
  const preload = await preloadEvents(config, log, inputTopic, type, events);
  const groupId = `${config.topicPrefix}${actor}`;
  const timed = await timeCatchUp(
    config,
    log,
    { groupId, inputTopic, events, capS },
    () => startShopService(actor, config.topicPrefix, label, settings),
    true,
  );
  return { actor, preload, ...timed };
}

/**
 * An untimed run of the payment actor over `plan.peerWarmupEvents` events on new topics, before one that is timed:
 * right after the Kafka Streams peer ran, the broker serves the actor's client slowly for a minute or so (a single
 * hop's p50 of 38 ms, then 21, then 14 in runs one after the other), as it does when it has just started. The peer
 * gets the same: its timed instance runs after a warm-up on its own input.
 */
export async function warmBrokerForActor(
  freshShop: (step: string) => Promise<Config>,
  log: Logger,
  settings: ServiceSettings,
  plan: { peerWarmupEvents: number; actorCapS: number },
  label: string,
): Promise<void> {
  await measureActorRate(await freshShop(label), log, settings, {
    actor: 'payment',
    events: plan.peerWarmupEvents,
    capS: plan.actorCapS,
    label,
  });
}
