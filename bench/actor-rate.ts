// Step 5: one actor's own rate. Its input topic is preloaded with valid events, then only that actor is
// started and timed from ready (partitions assigned) until its group's committed offsets reach the end.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic, type TopicName } from '../src/contracts/topics.js';
import { createAdmin } from '../src/kafka/client.js';
import type { Logger } from '../src/logger.js';
import { groupPosition } from './group-offsets.js';
import { openWindow } from './measured-windows.js';
import type { InputEventType } from './order-events.js';
import { preloadEvents, type PreloadResult } from './preload.js';
import { showProgress } from './progress.js';
import { startShopService, type ServiceSettings } from './shop-services.js';

export type ActorName = 'payment' | 'shipping' | 'notification';

/** Each actor's input topic and the event type on it. */
export const actorInputs: Record<ActorName, { input: TopicName; type: InputEventType }> = {
  payment: { input: 'order_created', type: 'webshop.order.created' },
  shipping: { input: 'payment_completed', type: 'webshop.payment.completed' },
  notification: { input: 'payment_failed', type: 'webshop.payment.failed' },
};

export interface ActorRate {
  actor: ActorName;
  preload: PreloadResult;
  /** Spawn to /readyz 200. */
  startupMs: number;
  /** Events whose offsets the actor committed. */
  committed: number;
  /** From ready to the committed offsets reaching the end (or to the cap). */
  seconds: number;
  perS: number;
  caughtUp: boolean;
}

/** Preloads `events` on the actor's input under `config.topicPrefix` (topics already created) and times it. */
export async function measureActorRate(
  config: Config,
  log: Logger,
  settings: ServiceSettings,
  { actor, events, capS }: { actor: ActorName; events: number; capS: number },
): Promise<ActorRate> {
  const { input, type } = actorInputs[actor];
  const inputTopic = topic(config.topicPrefix, input);
  const preload = await preloadEvents(config, log, inputTopic, type, events);
  const admin = createAdmin(config, log, 'bench-actor-rate');
  await admin.connect();
  const group = { groupId: `${config.topicPrefix}${actor}`, topic: inputTopic };
  const service = await startShopService(actor, config.topicPrefix, `rate-${actor}`, settings);
  const started = performance.now();
  const endWindow = openWindow(service.name, [{ label: service.name, pid: service.pid }]);
  let committed = 0;
  const stopProgress = showProgress(`${actor} actor`, () => `${committed} / ${events} events committed`);
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
    return {
      actor,
      preload,
      startupMs: service.startupMs,
      committed,
      seconds: Math.round(seconds * 100) / 100,
      perS: Math.round(committed / seconds),
      caughtUp,
    };
  } finally {
    stopProgress();
    await service.stop();
    await admin.disconnect();
  }
}
