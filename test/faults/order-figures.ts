// The checker's verdict: per order, what the users were answered against what the topics hold, summed up
// into the figures a fault test prints, and the one invariant every fault test asserts.
import assert from 'node:assert/strict';
import { headerText } from '../../src/contracts/message.js';
import { countStatuses, type OrderAnswer } from './order-load.js';
import type { ShopRecord } from './shop-record.js';

/** How many events of each kind the topics hold for one order (by message key, which is the orderId). */
export interface OrderTally {
  created: number;
  completed: number;
  failed: number;
  shipped: number;
  notified: number;
}

export interface Figures {
  title: string;
  /** Distinct OrderIds posted, and POST requests made. */
  ordersSent: number;
  posts: number;
  /** POST answers by status (`none`: no HTTP answer). */
  answers: Record<string, number>;
  /** Orders with at least one 201. */
  accepted: number;
  /** Per accepted order: how many have 0, 1, 2... payment outcomes / terminal events. */
  outcomesPerAccepted: Record<string, number>;
  terminalPerAccepted: Record<string, number>;
  /** The same for orders that never got a 201 (503 or no answer): 0 or 1 allowed. */
  outcomesPerRejected: Record<string, number>;
  totals: OrderTally;
  /** Orders with more than one payment outcome or terminal event. */
  duplicates: string[];
  /** Orders accepted (201) or on order_created whose payment outcome or terminal event is missing. */
  lost: string[];
  /** 201 answers without an order.created on the topic. */
  unacknowledged: string[];
  /** A completed payment that ended in a notification, or a failed one that was shipped. */
  mismatched: string[];
  deadLetters: number;
  deadLetterCodes: Record<string, number>;
  /** Scenario figures: kill times, recovery times... */
  extra: Record<string, string | number>;
}

/** The tally of every order key on the record. */
export function tallyOrders(record: ShopRecord): Map<string, OrderTally> {
  const tallies = new Map<string, OrderTally>();
  const count = (messages: ShopRecord[keyof ShopRecord], field: keyof OrderTally): void => {
    for (const { key } of messages) {
      if (key === undefined) continue;
      const tally = tallies.get(key) ?? { created: 0, completed: 0, failed: 0, shipped: 0, notified: 0 };
      tally[field] += 1;
      tallies.set(key, tally);
    }
  };
  count(record.order_created, 'created');
  count(record.payment_completed, 'completed');
  count(record.payment_failed, 'failed');
  count(record.order_shipped, 'shipped');
  count(record.notification_sent, 'notified');
  return tallies;
}

const histogram = (values: number[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
};

const none: OrderTally = { created: 0, completed: 0, failed: 0, shipped: 0, notified: 0 };

/** Orders that got a 201 and have no terminal event yet: what `settle` waits for. */
export function acceptedWithoutTerminal(record: ShopRecord, answers: readonly OrderAnswer[]): string[] {
  const tallies = tallyOrders(record);
  const accepted = new Set(answers.filter(({ status }) => status === 201).map(({ orderId }) => orderId));
  const missing = [...accepted].filter((orderId) => {
    const tally = tallies.get(orderId) ?? none;
    return tally.shipped + tally.notified === 0;
  });
  return missing.length === 0 ? [] : [`${missing.length} accepted orders without a terminal event`];
}

/**
 * Holds the record against the answers. `ignoreKeys` are keys written straight to the topics by the test
 * (poison messages), which are not orders.
 */
export function orderFigures(
  title: string,
  record: ShopRecord,
  answers: readonly OrderAnswer[],
  extra: Figures['extra'] = {},
  ignoreKeys: ReadonlySet<string> = new Set(),
): Figures {
  const tallies = tallyOrders(record);
  const posted = new Map<string, number[]>();
  for (const { orderId, status } of answers) posted.set(orderId, [...(posted.get(orderId) ?? []), status]);
  const accepted = [...posted].filter(([, statuses]) => statuses.includes(201)).map(([orderId]) => orderId);
  const rejected = [...posted].filter(([, statuses]) => !statuses.includes(201)).map(([orderId]) => orderId);
  const tallyOf = (orderId: string): OrderTally => tallies.get(orderId) ?? none;
  const outcomes = (tally: OrderTally): number => tally.completed + tally.failed;
  const terminal = (tally: OrderTally): number => tally.shipped + tally.notified;

  const orders = new Set([...posted.keys(), ...[...tallies.keys()].filter((key) => !ignoreKeys.has(key))]);
  const totals = { ...none };
  const duplicates: string[] = [];
  const lost: string[] = [];
  const mismatched: string[] = [];
  for (const orderId of orders) {
    const tally = tallyOf(orderId);
    for (const field of Object.keys(totals) as (keyof OrderTally)[]) totals[field] += tally[field];
    if (outcomes(tally) > 1 || terminal(tally) > 1) duplicates.push(orderId);
    const mustFinish = tally.created > 0 || posted.get(orderId)?.includes(201) === true;
    if (mustFinish && (outcomes(tally) === 0 || terminal(tally) === 0)) lost.push(orderId);
    if ((tally.completed > 0 && tally.notified > 0) || (tally.failed > 0 && tally.shipped > 0))
      mismatched.push(orderId);
  }
  const deadLetterCodes: Record<string, number> = {};
  for (const { message } of record.dead_letter) {
    const code = headerText(message, 'dlq-error-code') ?? '(none)';
    deadLetterCodes[code] = (deadLetterCodes[code] ?? 0) + 1;
  }
  return {
    title,
    ordersSent: posted.size,
    posts: answers.length,
    answers: Object.fromEntries(Object.entries(countStatuses(answers)).sort()),
    accepted: accepted.length,
    outcomesPerAccepted: histogram(accepted.map((orderId) => outcomes(tallyOf(orderId)))),
    terminalPerAccepted: histogram(accepted.map((orderId) => terminal(tallyOf(orderId)))),
    outcomesPerRejected: histogram(rejected.map((orderId) => outcomes(tallyOf(orderId)))),
    totals,
    duplicates,
    lost,
    unacknowledged: accepted.filter((orderId) => tallyOf(orderId).created === 0),
    mismatched,
    deadLetters: record.dead_letter.length,
    deadLetterCodes,
    extra,
  };
}

const perOrder = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([times, orders]) => `${orders} orders x${times}`)
    .join(', ') || '-';

const sample = (ids: string[]): string => (ids.length === 0 ? '0' : `${ids.length} (${ids.slice(0, 5).join(', ')})`);

/** Prints the figures of one scenario, one line each, prefixed with its title. */
export function printFigures(figures: Figures): void {
  const { totals } = figures;
  const lines = [
    `orders sent: ${figures.ordersSent} (${figures.posts} POSTs)`,
    `answers: ${Object.entries(figures.answers)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}`,
    `orders with a 201: ${figures.accepted}`,
    `payment outcomes per 201 order: ${perOrder(figures.outcomesPerAccepted)} ` +
      `(completed ${totals.completed}, failed ${totals.failed})`,
    `terminal events per 201 order: ${perOrder(figures.terminalPerAccepted)} ` +
      `(shipped ${totals.shipped}, notified ${totals.notified})`,
    `payment outcomes per order without a 201: ${perOrder(figures.outcomesPerRejected)}`,
    `duplicates: ${sample(figures.duplicates)}`,
    `lost: ${sample(figures.lost)}`,
    `201 without order.created: ${sample(figures.unacknowledged)}`,
    `outcome/terminal mismatches: ${sample(figures.mismatched)}`,
    `dead letters: ${figures.deadLetters}${figures.deadLetters ? ` ${JSON.stringify(figures.deadLetterCodes)}` : ''}`,
    ...Object.entries(figures.extra).map(([name, value]) => `${name}: ${value}`),
  ];
  for (const line of lines) console.log(`[${figures.title}] ${line}`);
}

/**
 * The invariant of every fault test: every order with a 201 has exactly one payment outcome and exactly one
 * terminal event (which matches the outcome); no order has two; every 201 was acknowledged.
 */
export function assertNothingLostOrDoubled(figures: Figures, expectedDeadLetters = 0): void {
  assert.ok(figures.accepted > 0, 'some orders were accepted');
  assert.deepEqual(figures.duplicates, [], 'orders with more than one payment outcome or terminal event');
  assert.deepEqual(figures.lost, [], 'orders without their payment outcome or terminal event');
  assert.deepEqual(figures.unacknowledged, [], 'orders answered 201 without an order.created on the topic');
  assert.deepEqual(figures.mismatched, [], 'orders whose terminal event does not match their payment outcome');
  assert.deepEqual(figures.outcomesPerAccepted, { 1: figures.accepted }, 'payment outcomes per 201 order');
  assert.deepEqual(figures.terminalPerAccepted, { 1: figures.accepted }, 'terminal events per 201 order');
  assert.equal(figures.deadLetters, expectedDeadLetters, 'dead letters');
}
