// `make order AMOUNT=.. [ORDER_ID=..]`: posts an order to the OrderService, prints the answer, then follows
// that order's events until its terminal event (shipped, notified or dead-lettered), giving up after 10 s.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { deadLetterHeaders } from '../contracts/dead-letter.js';
import { topic, topicNames } from '../contracts/topics.js';
import { headerText } from '../kafka/client.js';
import { readTopics } from '../kafka/reader.js';
import { createLogger } from '../logger.js';
import { eventOf } from './describe-event.js';

const followed = topicNames.filter((name) => name !== 'dead_letter_replays');
const steps: Record<string, (data: Record<string, unknown>) => string> = {
  'webshop.order.created': () => 'created',
  'webshop.payment.completed': () => 'payment completed',
  'webshop.payment.failed': () => 'payment failed (insufficient funds)',
  'webshop.order.shipped': (data) => `shipped (shipment ${String(data.shipmentId)})`,
  'webshop.notification.sent': () => 'customer notified',
};
const terminal = new Set(['webshop.order.shipped', 'webshop.notification.sent']);
const giveUpMs = 10000;

const { values } = parseArgs({ options: { amount: { type: 'string' }, 'order-id': { type: 'string' } } });
const config = loadConfigOrExit();
const log = createLogger({ ...config, logLevel: 'error' }, 'order-cli');
const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost;
const url = `http://${host}:${config.orderPort}/order`;
const requestId = randomUUID();
const amount = Number(values.amount);
const body = JSON.stringify({
  ...(values['order-id'] ? { OrderId: values['order-id'] } : {}),
  Amount: Number.isNaN(amount) ? values.amount : amount,
});

const story: string[] = [];
let finish: (code: number) => void = () => undefined;
const finished = new Promise<number>((resolve) => (finish = resolve));
let orderId: string | undefined;
const started = Date.now();

const reader = await readTopics(config, log, {
  topics: followed.map((name) => topic(config.topicPrefix, name)),
  from: 'end',
  onMessage(topicName, _partition, message) {
    // Filter on the correlation id we sent: events can arrive before the HTTP answer names the order.
    const event = eventOf(message);
    if (event?.correlationid !== requestId) return;
    const code = headerText(message, deadLetterHeaders.errorCode);
    if (code !== undefined) {
      story.push(`dead-lettered by ${headerText(message, deadLetterHeaders.actor)} (${code})`);
      console.log(
        `  +${Date.now() - started} ms  ${topicName}  ${code}: ${headerText(message, deadLetterHeaders.errorMessage)}`,
      );
      return finish(1);
    }
    const type = String(event.type);
    console.log(`  +${Date.now() - started} ms  ${topicName}  ${type}  ${JSON.stringify(event.data)}`);
    story.push(steps[type]?.(event.data ?? {}) ?? type);
    if (terminal.has(type)) finish(0);
  },
});

console.log(`POST ${url} ${body}`);
try {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body,
  });
  const answer = (await response.json()) as { orderId?: string };
  console.log(`${response.status} ${JSON.stringify(answer)}`);
  if (response.status !== 201) finish(1);
  orderId = answer.orderId;
} catch (error) {
  console.error(`cannot reach the OrderService at ${url}: ${(error as Error).message} (is \`make dev\` running?)`);
  finish(1);
}

const timer = setTimeout(() => {
  console.log(`gave up after ${giveUpMs / 1000} s waiting for the order's terminal event`);
  finish(1);
}, giveUpMs);
const code = await finished;
clearTimeout(timer);
if (orderId !== undefined && story.length > 0) console.log(`order ${orderId}: ${story.join(' -> ')}`);
await reader.stop();
process.exit(code);
