// Entry point of the OrderService process: `node dist/order/main.js`.
// First: the Kafka client's calls need more threads than libuv's default (see threadpool.ts).
import '../threadpool.js';
import { loadConfigOrExit } from '../config.js';
import { createLogger } from '../logger.js';
import { exitOnSignals } from '../shutdown.js';
import { exitWhenThreadpoolStarved } from '../threadpool-watch.js';
import { startTracing } from '../tracing.js';
import { startOrderService } from './service.js';

const config = loadConfigOrExit();
const log = createLogger(config, 'order', { linesPerTurn: true });
exitWhenThreadpoolStarved(log);
const tracing = await startTracing(config, 'order');
try {
  const service = await startOrderService(config, log, config.orderPort);
  exitOnSignals(log, config.shutdownTimeoutMs, () => service.stop().finally(tracing.stop));
} catch (error) {
  log.error('order service failed to start', { error });
  process.exit(1);
}
