// Test fixtures for the integration suites: a fresh topic prefix per test on the real broker, in-process
// services, and a recorder of every event on the shop's topics.
import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { startActor } from '../../src/actors/runtime.js';
import type { Actor, ActorDefinition, ActorOptions } from '../../src/actors/types.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { EventType } from '../../src/contracts/events.js';
import { topic, topicNames, type TopicName } from '../../src/contracts/topics.js';
import { createAdmin, type KafkaMessage } from '../../src/kafka/client.js';
import { followTopics } from '../../src/kafka/follower.js';
import { ensureTopics } from '../../src/kafka/topics.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Metrics } from '../../src/metrics.js';
import { startOrderService } from '../../src/order/service.js';
import { waitFor } from '../helpers.js';

export interface Recorded {
  topic: TopicName;
  partition: number;
  message: KafkaMessage;
  key: string | undefined;
  /** The parsed value, when it is JSON. */
  event:
    | {
        type: string;
        subject: string;
        correlationid: string;
        source: string;
        id: string;
        data: Record<string, unknown>;
      }
    | undefined;
}

export interface Shop {
  config: Config;
  log: Logger;
  topic(name: TopicName): string;
  /** Every message on the shop's topics since the shop was made, in arrival order. */
  recorded: Recorded[];
  on(name: TopicName): Recorded[];
  /** Starts an instance in this process; `dependencies` replace the runtime's own (a fault, a seeded chance). */
  startActor<In extends EventType>(
    definition: ActorDefinition<In>,
    dependencies?: Pick<ActorOptions, 'newConsumer' | 'random' | 'metrics'>,
  ): Promise<Actor>;
  /** Starts the order service in this process; `metrics`: its own registry, as if it were a process of its own. */
  startOrderService(metrics?: Metrics): Promise<{ url: string; port: number; stop(): Promise<void> }>;
  /** How many committed messages a topic holds: waits until the recorder has read all committed so far. */
  count(name: TopicName): Promise<number>;
  /**
   * Waits until the actor's group has committed every message recorded on its input so far: after this, a late
   * duplicate outcome would already be on the recorder's topics.
   */
  drained<In extends EventType>(definition: ActorDefinition<In>, timeoutMs?: number): Promise<void>;
}

/**
 * A shop on its own topic prefix, with its topics created and deleted after the test.
 * @example const shop = await createShop(t); await shop.startActor(paymentActor);
 */
export async function createShop(t: TestContext, env: NodeJS.ProcessEnv = {}): Promise<Shop> {
  const config = loadConfig({
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
    ...env,
    TOPIC_PREFIX: `it-${randomUUID().slice(0, 8)}.`,
  });
  const log = createLogger(config, 'test');
  await ensureTopics(config, log);
  const recorded: Recorded[] = [];
  const names = new Map(topicNames.map((name) => [topic(config.topicPrefix, name), name]));
  const recorder = await followTopics(config, log, {
    topics: [...names.keys()],
    onMessage(topicName, partition, message) {
      let event: Recorded['event'];
      try {
        event = JSON.parse(message.value?.toString() ?? '');
      } catch {
        event = undefined;
      }
      recorded.push({ topic: names.get(topicName)!, partition, message, key: message.key?.toString(), event });
    },
  });
  const stops: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const stop of stops.reverse()) await stop();
    await recorder.close();
    const admin = createAdmin(config, log, 'test-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [...names.keys()] }).catch(() => undefined);
    await admin.disconnect();
  });
  return {
    config,
    log,
    recorded,
    topic: (name) => topic(config.topicPrefix, name),
    on: (name) => recorded.filter((entry) => entry.topic === name),
    async startActor(definition, dependencies = {}) {
      const actor = await startActor(definition, config, { log, port: 0, ...dependencies });
      stops.push(actor.stop);
      return actor;
    },
    async startOrderService(metrics) {
      const service = await startOrderService(config, log, 0, metrics);
      stops.push(service.stop);
      const url = `http://127.0.0.1:${service.port}`;
      await waitFor('the order service to be ready', async () => (await fetch(`${url}/readyz`)).status === 200);
      return { url, port: service.port, stop: service.stop };
    },
    async count(name) {
      await recorder.catchUp(20000);
      return recorded.filter((entry) => entry.topic === name).length;
    },
    async drained(definition, timeoutMs = 20000) {
      await recorder.catchUp(20000);
      const ends = new Map<string, number>(); // by topic/partition
      for (const { topic: name, partition, message } of recorded) {
        if (!definition.inputs.includes(name)) continue;
        const key: string = `${topic(config.topicPrefix, name)}/${partition}`;
        ends.set(key, Math.max(ends.get(key) ?? 0, Number(message.offset) + 1));
      }
      const admin = createAdmin(config, log, 'test-drained');
      await admin.connect();
      try {
        const groupId = `${config.topicPrefix}${definition.groupId}`;
        await waitFor(
          `${definition.groupId} to commit its input to the end`,
          async () => {
            const committed = await admin.fetchOffsets({
              groupId,
              topics: definition.inputs.map((name) => topic(config.topicPrefix, name)),
            });
            const at = new Map(
              committed.flatMap(({ topic: name, partitions }) =>
                partitions.map(({ partition, offset }): [string, number] => [`${name}/${partition}`, Number(offset)]),
              ),
            );
            return [...ends].every(([key, end]) => (at.get(key) ?? -1) >= end);
          },
          timeoutMs,
        );
      } finally {
        await admin.disconnect();
      }
    },
  };
}
