// Single-hop latency probe: valid order_created events written at a steady rate to one input topic, the outputs of
// whatever processes it (the payment actor, a Kafka Streams app) read read_committed and matched by orderId.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { createProducer, type KafkaMessage } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { readTopics } from '../src/kafka/reader.js';
import type { Logger } from '../src/logger.js';
import { inputEvent } from './order-events.js';
import { Samples, type Percentiles } from './samples.js';

export interface SingleHopOptions {
  /** Full name of the topic the events are written to. */
  inputTopic: string;
  /** Full names of the topics where one output per input event is expected. */
  outputTopics: string[];
  /** Events per second, evenly spaced (default 200). */
  ratePerS?: number;
  /** How long events are written (default 30 s). */
  seconds?: number;
  /** Events of the first seconds that are written and matched but not counted (default 3 s). */
  warmupS?: number;
  /** How long after the last write the missing outputs are waited for (default 10 s). */
  drainMs?: number;
}

export interface SingleHopResult {
  ratePerS: number;
  /** Events written, the warm-up's included. */
  written?: number;
  /** Requests the broker answered while they were, by type (bench/broker-requests.ts), when they were counted. */
  brokerRequests?: Record<string, number>;
  /** Events written after the warm-up (the counted ones). */
  sent: number;
  /** Counted events whose output was read. */
  matched: number;
  /** Counted events with no output by the end of the drain. */
  missing: number;
  /** Outputs read a second time for the same orderId (must stay 0 under exactly-once). */
  doubled: number;
  /** Input send to output read by the read_committed reader: the single hop. */
  hop: Percentiles;
  /** Input send to the broker's acknowledgement of it. */
  produce: Percentiles;
  /** Input send to the output event's `time` (stamped by the processor when it handles the event). */
  toHandled: Percentiles;
  /** Output event's `time` to its read: the processor's commit and the visibility to read_committed readers. */
  handledToRead: Percentiles;
}

const keyOf = (message: KafkaMessage): string => message.key?.toString() ?? '';

const timeOf = (message: KafkaMessage): number =>
  Date.parse((JSON.parse(message.value?.toString() ?? '{}') as { time?: string }).time ?? '');

/**
 * Writes order_created events to `inputTopic` at a steady rate for `seconds` and times each one until its output
 * is read on `outputTopics` (read_committed), matched by orderId (the message key).
 * @example const result = await measureSingleHop(config, log, { inputTopic: 'x.order_created',
 *   outputTopics: ['x.payment_completed', 'x.payment_failed'] });
 */
export async function measureSingleHop(
  config: Config,
  log: Logger,
  options: SingleHopOptions,
): Promise<SingleHopResult> {
  const ratePerS = options.ratePerS ?? 200;
  const seconds = options.seconds ?? 30;
  const warmupEvents = Math.round((options.warmupS ?? 3) * ratePerS);
  const total = Math.round(seconds * ratePerS) + warmupEvents;
  const tag = `hop-${randomUUID().slice(0, 6)}`;
  const sentAt = new Map<string, number>();
  const counted = new Set<string>();
  const seen = new Set<string>();
  const hop = new Samples();
  const produceSamples = new Samples();
  const toHandled = new Samples();
  const handledToRead = new Samples();
  let doubled = 0;

  const reader = await readTopics(config, log, {
    topics: options.outputTopics,
    from: 'end',
    onMessage: (_topic, _partition, message) => {
      const readAt = performance.now();
      const wallAt = Date.now();
      const orderId = keyOf(message);
      const sent = sentAt.get(orderId);
      if (sent === undefined) return;
      if (seen.has(orderId)) {
        doubled += 1;
        return;
      }
      seen.add(orderId);
      if (!counted.has(orderId)) return;
      hop.add(readAt - sent);
      const handled = timeOf(message);
      if (Number.isFinite(handled)) {
        // Event times are wall-clock milliseconds: both halves are measured against the same wall clock.
        const sentWall = wallAt - (readAt - sent);
        toHandled.add(handled - sentWall);
        handledToRead.add(wallAt - handled);
      }
    },
  });
  const producer = createProducer(config, log, 'bench-single-hop');
  await producer.connect();
  try {
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let sequence = 0; sequence < total; sequence += 1) {
      const due = started + (sequence * 1000) / ratePerS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const event = inputEvent('webshop.order.created', tag, sequence);
      const orderId = event.subject;
      const message = eventMessage(options.inputTopic, event);
      const at = performance.now();
      sentAt.set(orderId, at);
      if (sequence >= warmupEvents) counted.add(orderId);
      const send = producer.send({ topic: message.topic, messages: [{ ...message }] }).then(() => {
        if (counted.has(orderId)) produceSamples.add(performance.now() - at);
      });
      sends.push(send);
    }
    await Promise.all(sends);
    const deadline = performance.now() + (options.drainMs ?? 10000);
    while (hop.count < counted.size && performance.now() < deadline) await sleep(20);
    // Outputs read twice arrive after their first copy: give them a moment beyond the last match.
    await sleep(500);
  } finally {
    await producer.disconnect();
    await reader.stop();
  }
  return {
    ratePerS,
    written: total,
    sent: counted.size,
    matched: hop.count,
    missing: counted.size - hop.count,
    doubled,
    hop: hop.percentiles(),
    produce: produceSamples.percentiles(),
    toHandled: toHandled.percentiles(),
    handledToRead: handledToRead.percentiles(),
  };
}
