// The order service's feed of order_status: reads the topic from its beginning into the status table
// (read_committed), then follows it, counting dead_letter's records on the way; and the orders produced lately.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { decodeEvent } from '../contracts/envelope.js';
import { topic } from '../contracts/topics.js';
import { describeError } from '../errors.js';
import { followTopics, type TopicFollower } from '../kafka/follower.js';
import type { Logger } from '../logger.js';
import { setBounded } from './bounded.js';
import { createDeadLetterCount, type DeadLetterCount } from './dead-letter-count.js';
import { createStatusTable, type StatusTable } from './status-table.js';

/** How many orders produced by this instance GET /orders/:id remembers as accepted (202) until projected. */
const recentOrdersMax = 10000;
// Bounds a start-up read; a longer one is tried again from the start.
const catchUpTimeoutMs = 10000;

export interface StatusFeed {
  table: StatusTable;
  /** The records on dead_letter, read with order_status: the live page's dead-letter count. */
  deadLetters: DeadLetterCount;
  /** True once the table has read order_status to its end. */
  loaded(): boolean;
  /** Remembers an order this instance produced. */
  produced(orderId: string): void;
  producedRecently(orderId: string): boolean;
  close(): Promise<void>;
}

/**
 * Starts filling a table from order_status in the background (tried again while the broker is away).
 * @example const feed = openStatusFeed(config, log); createOrderApp({ ..., status: feed, created: feed.produced });
 */
export function openStatusFeed(config: Config, log: Logger): StatusFeed {
  const table = createStatusTable(config.statusTableMaxOrders);
  const statusTopic = topic(config.topicPrefix, 'order_status');
  const deadLetterTopic = topic(config.topicPrefix, 'dead_letter');
  const deadLetters = createDeadLetterCount();
  const recent = new Map<string, true>();
  let follower: TopicFollower | undefined;
  let loaded = false;
  let closed = false;

  const start = async (): Promise<void> => {
    for (let attempt = 1; !closed; attempt += 1) {
      try {
        const opened = await followTopics(config, log, {
          topics: [statusTopic, deadLetterTopic],
          onMessage: (name, partition, message) => {
            if (name === deadLetterTopic) return deadLetters.add(partition, message.offset);
            try {
              const record = decodeEvent(message.value, ['webshop.order.status']).data;
              table.put(record);
              recent.delete(record.orderId);
            } catch (error) {
              log.warn('order status skipped', {
                topic: statusTopic,
                partition,
                offset: message.offset,
                error: describeError(error),
              });
            }
          },
        });
        if (closed) return await opened.close();
        follower = opened;
        await opened.catchUp(catchUpTimeoutMs);
        loaded = true;
        log.info('order status loaded', { topic: statusTopic, orders: table.size() });
        return;
      } catch (error) {
        if (closed) return;
        const failed = follower;
        follower = undefined;
        await failed?.close();
        log.warn('order status cannot be read, retrying', { attempt, topic: statusTopic, error: describeError(error) });
        await sleep(Math.min(5000, 500 * attempt));
      }
    }
  };
  void start();

  return {
    table,
    deadLetters,
    loaded: () => loaded,
    produced: (orderId) => {
      if (table.get(orderId) === undefined) setBounded(recent, orderId, true, recentOrdersMax);
    },
    producedRecently: (orderId) => recent.has(orderId),
    async close() {
      closed = true;
      const open = follower;
      follower = undefined;
      await open?.close();
    },
  };
}
