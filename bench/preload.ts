// Fills an actor's input topic before the actor is timed: a plain idempotent producer of the shop's client
// with a 10 ms linger and 1,000-message batches, several batches in flight.
import type { Config } from '../src/config.js';
import { createProducer } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { produce } from '../src/kafka/produce.js';
import type { Logger } from '../src/logger.js';
import { inputEvent, type InputEventType } from './order-events.js';
import { showProgress } from './progress.js';

const batchSize = 1000;
const batchesInFlight = 8;

export interface PreloadResult {
  events: number;
  seconds: number;
  perS: number;
}

/**
 * Writes `count` valid events of `type` to `topic` and resolves when the broker has acknowledged them all.
 * @example await preloadEvents(config, log, 'bench.order_created', 'webshop.order.created', 200_000);
 */
export async function preloadEvents(
  config: Config,
  log: Logger,
  topic: string,
  type: InputEventType,
  count: number,
): Promise<PreloadResult> {
  const producer = createProducer({ ...config, producerLingerMs: 10 }, log, 'bench-preload');
  await producer.connect();
  const tag = `pre-${topic.split('.').at(-1)}`;
  let next = 0;
  let acknowledged = 0;
  const stopProgress = showProgress(`preloading ${topic}`, () => `${acknowledged} / ${count} events`);
  const started = performance.now();
  try {
    const sender = async (): Promise<void> => {
      while (next < count) {
        const first = next;
        next = Math.min(count, next + batchSize);
        const messages = [];
        for (let sequence = first; sequence < next; sequence += 1) {
          messages.push(eventMessage(topic, inputEvent(type, tag, sequence)));
        }
        await produce(producer, messages);
        acknowledged += messages.length;
      }
    };
    await Promise.all(Array.from({ length: batchesInFlight }, sender));
  } finally {
    stopProgress();
    await producer.flush({ timeout: 10000 }).catch(() => undefined);
    await producer.disconnect();
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: count, seconds: Math.round(seconds * 100) / 100, perS: Math.round(count / seconds) };
}
