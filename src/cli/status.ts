// `make status ORDER_ID=..`: prints one order's status record as the OrderService serves it (GET /orders/:id);
// exits 1 when the order is not known (yet) or the service cannot be reached.
import { loadConfigOrExit } from '../config.js';
import { parseOptions } from './options.js';
import { fetchStatus, statusLine } from './order-status.js';

const { values } = parseOptions('status', { options: { 'order-id': { type: 'string' } } });
const orderId = values['order-id'] ?? '';
if (orderId === '') {
  console.error('ORDER_ID is required: make status ORDER_ID=<the id make order printed>');
  process.exit(2);
}
const config = loadConfigOrExit();
const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost;
const base = `http://${host}:${config.orderPort}`;
try {
  const answer = await fetchStatus(base, orderId);
  console.log(answer.code === 200 ? JSON.stringify(answer.body, null, 2) : statusLine(orderId, answer));
  process.exitCode = answer.code === 200 ? 0 : 1;
} catch (error) {
  console.error(`cannot reach the OrderService at ${base}: ${(error as Error).message} (is \`make dev\` running?)`);
  process.exitCode = 1;
}
