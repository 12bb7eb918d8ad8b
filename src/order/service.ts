// The OrderService wired to Kafka: an idempotent producer whose delivery timeout is the ack bound, readiness
// from the last delivery, the order_status table, and a start/stop pair that main.ts and the tests share.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { topic } from '../contracts/topics.js';
import { WebshopError, describeError } from '../errors.js';
import { createProducer } from '../kafka/client.js';
import { eventMessage } from '../kafka/event-message.js';
import { sendSpan } from '../kafka/message-spans.js';
import { produce } from '../kafka/produce.js';
import type { Logger } from '../logger.js';
import { sharedMetrics, type Metrics } from '../metrics.js';
import { endSpan, traceCarrierOf, traceContextOf, tracingRecords } from '../tracing.js';
import { createOrderApp } from './app.js';
import { openStatusFeed, type StatusFeed } from './status-feed.js';

export interface OrderService {
  port: number;
  /** The order_status table and its loading; a live feed subscribes to `status.table.onChange`. */
  status: StatusFeed;
  stop(): Promise<void>;
}

/**
 * Starts listening on `port` (0 picks a free one) and connects the producer in the background.
 * @example const service = await startOrderService(config, log, config.orderPort);
 */
export async function startOrderService(
  config: Config,
  log: Logger,
  port: number,
  metrics: Metrics = sharedMetrics(),
): Promise<OrderService> {
  const producer = createProducer(config, log, `order-${process.pid}`, { deliveryTimeoutMs: config.orderAckTimeoutMs });
  const orderTopic = topic(config.topicPrefix, 'order_created');
  let connected = false;
  let lastDeliveryFailed = false;

  let stopped = false;
  // The endpoint listens at once and answers 503 until the producer is connected, however long the broker
  // takes to appear; a connect that fails is tried again after a pause.
  void (async () => {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        await producer.connect();
        connected = true;
        log.info('producer connected', { brokers: config.kafkaBrokers });
        return;
      } catch (error) {
        log.warn('producer cannot connect, retrying', { attempt, error: describeError(error) });
        await sleep(Math.min(5000, 500 * attempt));
      }
    }
  })();
  const status = openStatusFeed(config, log);
  const app = createOrderApp({
    ackTimeoutMs: config.orderAckTimeoutMs,
    log,
    metrics,
    status,
    created: status.produced,
    ready: () => connected && !lastDeliveryFailed,
    publish: async (event) => {
      if (!connected) throw new WebshopError('KAFKA_UNAVAILABLE', 'the producer is not connected', { retriable: true });
      const sent = performance.now();
      // Without an SDK the span would carry the event's own context: the event is sent as it is.
      const span = tracingRecords() ? sendSpan(traceContextOf(event), orderTopic, event.id, event.subject) : undefined;
      try {
        await produce(producer, [eventMessage(orderTopic, span ? { ...event, ...traceCarrierOf(span) } : event)]);
        lastDeliveryFailed = false;
        metrics.order.brokerAck('acknowledged', (performance.now() - sent) / 1000);
        if (span) endSpan(span);
      } catch (error) {
        if (span) endSpan(span, error);
        lastDeliveryFailed = true;
        metrics.order.brokerAck('failed', (performance.now() - sent) / 1000);
        throw error;
      }
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, config.httpHost, () => resolve(listening)).once('error', reject);
  });
  server.keepAliveTimeout = 65000;
  const actualPort = (server.address() as AddressInfo).port;
  log.info('order service started', { port: actualPort, topic: orderTopic });

  return {
    port: actualPort,
    status,
    async stop() {
      log.info('order service stopping');
      stopped = true;
      status.table.release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await status.close();
      if (!connected) return;
      connected = false;
      await producer.flush({ timeout: config.shutdownTimeoutMs / 2 }).catch((error: unknown) => {
        log.warn('producer flush failed', { error: describeError(error) });
      });
      await producer.disconnect();
      log.info('order service stopped');
    },
  };
}
