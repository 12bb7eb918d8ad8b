// `make order AMOUNT=.. [ORDER_ID=..]`: posts an order to the OrderService, prints the answer, follows that
// order's events until its terminal event (shipped, notified or dead-lettered), then its status from the API.
import { randomUUID } from 'node:crypto';
import { loadConfigOrExit } from '../config.js';
import { deadLetterHeaders } from '../contracts/dead-letter.js';
import { headerText } from '../contracts/message.js';
import { topic, topicNames } from '../contracts/topics.js';
import { readTopics } from '../kafka/reader.js';
import { createLogger } from '../logger.js';
import { withTimeout } from '../timeout.js';
import { eventOf } from './describe-event.js';
import { parseOptions } from './options.js';
import { fetchStatus, statusLine } from './order-status.js';

// The events and dead letters; the order's status comes from the API at the end.
const followed = topicNames.filter((name) => name !== 'dead_letter_replays' && name !== 'order_status');
// Each event type's place in the flow (created, then the payment outcome, then the terminal event) and its step
// in the story line.
const flow: Record<string, { rank: number; step(data: Record<string, unknown>): string }> = {
  'webshop.order.created': { rank: 0, step: () => 'created' },
  'webshop.payment.completed': { rank: 1, step: () => 'payment completed' },
  'webshop.payment.failed': { rank: 1, step: () => 'payment failed (insufficient funds)' },
  'webshop.order.shipped': { rank: 2, step: (data) => `shipped (shipment ${String(data.shipmentId)})` },
  'webshop.notification.sent': { rank: 2, step: () => 'customer notified' },
};
// Dead letters and types outside the flow come last.
const afterFlow = 3;
const giveUpMs = 10000;
// How long GET /orders/:id may wait for the projection to reach the terminal status the events showed.
const statusWaitMs = 5000;

const { values } = parseOptions('order', { options: { amount: { type: 'string' }, 'order-id': { type: 'string' } } });
const config = loadConfigOrExit();
const log = createLogger({ ...config, logLevel: 'error' }, 'order-cli');
// `make order | head` closes the pipe: a normal way to stop reading. The run still ends the normal way, since exiting
// while the reader's consumer disconnects can hang librdkafka's close.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.exitCode = 1;
});
const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost;
const base = `http://${host}:${config.orderPort}`;
const url = `${base}/order`;
const requestId = randomUUID();
const amount = Number(values.amount);
const body = JSON.stringify({
  ...(values['order-id'] ? { OrderId: values['order-id'] } : {}),
  Amount: Number.isNaN(amount) ? values.amount : amount,
});

// What was seen of the order. The reader follows several topics at once, so an event can arrive before the one
// that caused it: the lines are printed in the order of the flow, each with its time since the POST.
interface Seen {
  rank: number;
  at: number;
  line: string;
  step: string;
}
const seen: Seen[] = [];
let finish: (code: number) => void = () => undefined;
const finished = new Promise<number>((resolve) => (finish = resolve));
let orderId: string | undefined;
const started = Date.now();
// Every step of the flow: a terminal event read from one topic can arrive before the payment outcome on another,
// which was committed before it.
const complete = (): boolean => [0, 1, 2].every((step) => seen.some(({ rank }) => rank === step));

const reader = await readTopics(config, log, {
  topics: followed.map((name) => topic(config.topicPrefix, name)),
  from: 'end',
  onMessage(topicName, _partition, message) {
    // Filter on the correlation id we sent: events can arrive before the HTTP answer names the order.
    const event = eventOf(message);
    if (event?.correlationid !== requestId) return;
    const code = headerText(message, deadLetterHeaders.errorCode);
    if (code !== undefined) {
      const reason = headerText(message, deadLetterHeaders.errorMessage);
      seen.push({
        rank: afterFlow,
        at: Date.now() - started,
        line: `${topicName}  ${code}: ${reason}`,
        step: `dead-lettered by ${headerText(message, deadLetterHeaders.actor)} (${code})`,
      });
      return finish(1);
    }
    const type = String(event.type);
    const place = flow[type];
    seen.push({
      rank: place?.rank ?? afterFlow,
      at: (Date.parse(event.time ?? '') || Date.now()) - started,
      line: `${topicName}  ${type}  ${JSON.stringify(event.data)}`,
      step: place?.step(event.data ?? {}) ?? type,
    });
    if (complete()) finish(0);
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

let gaveUp = false;
const code = await withTimeout(finished, giveUpMs, () => {
  gaveUp = true;
  return 1;
});
seen.sort((a, b) => a.rank - b.rank || a.at - b.at);
for (const { at, line } of seen) console.log(`  +${at} ms  ${line}`);
if (orderId !== undefined && seen.length > 0)
  console.log(`order ${orderId}: ${seen.map(({ step }) => step).join(' -> ')}`);
if (orderId !== undefined && code === 0) {
  const answer = await fetchStatus(base, orderId, statusWaitMs).catch((error: unknown) => ({
    code: 0,
    body: { message: (error as Error).message },
  }));
  console.log(statusLine(orderId, answer));
}
if (gaveUp) {
  console.log(`gave up after ${giveUpMs / 1000} s waiting for the order's terminal event`);
  // The actors pay, ship and notify once per OrderId: a second order with a used OrderId stops at "created".
  const onlyCreated = seen.length > 0 && seen.every(({ rank }) => rank === 0);
  if (onlyCreated && values['order-id'] !== undefined) {
    console.log(`if OrderId ${values['order-id']} was used before, this is a duplicate: it is paid once, not again`);
  }
}
await reader.stop();
process.exit(code);
