// Where each order's time goes in the pipeline: the moment its POST was due and its terminal event read (the
// bench's clock), and the `time` attribute of each event it caused (stamped by the service that produced it).
import { Samples, type Percentiles } from './samples.js';

/** One order's moments, in epoch milliseconds. */
interface Trail {
  sent: number;
  created?: number;
  paid?: number;
  terminal?: number;
  read?: number;
  shipped?: boolean;
}

/** End-to-end latency and its split into the hops an order crosses, over the orders that reached the end. */
export interface HopSplit {
  /** POST due -> terminal event read, both flows; then each flow. */
  endToEndMs: Percentiles;
  shippedMs: Percentiles;
  notifiedMs: Percentiles;
  /** POST due -> order.created's `time` (the order service). */
  orderMs: Percentiles;
  /** order.created's `time` -> the payment outcome's `time` (the payment actor's fetch and handling). */
  paymentMs: Percentiles;
  /** Payment outcome's `time` -> the terminal event's `time` (payment commit, shipping/notification fetch). */
  fulfilmentMs: Percentiles;
  /** Terminal event's `time` -> read by the bench (the last commit and the read_committed fetch). */
  visibleMs: Percentiles;
}

export type TrailEvent = 'created' | 'paid' | 'terminal';

const epochNow = (): number => performance.timeOrigin + performance.now();

/** The trails of the orders of one load window, keyed by orderId (= correlation id = X-Request-Id). */
export class OrderTrails {
  private readonly trails = new Map<string, Trail>();
  private readonly outstanding = new Set<string>();
  private emptiedAt = 0;

  /** The POST of `id` is about to be written; `at`: when it was due (a steady load), else now. */
  sent(id: string, at = epochNow()): void {
    this.trails.set(id, { sent: at });
  }

  /** The order service answered 201 for `id`: the window waits for its terminal event. */
  accepted(id: string): void {
    const trail = this.trails.get(id);
    if (trail && trail.read === undefined) this.outstanding.add(id);
  }

  has(id: string): boolean {
    return this.trails.has(id);
  }

  /** An event of `id` stamped `time` was read; for the terminal one, `shipped` tells the flow. */
  event(id: string, kind: TrailEvent, time: string | undefined, shipped = false): void {
    const trail = this.trails.get(id);
    if (!trail) return;
    const at = time === undefined ? NaN : Date.parse(time);
    if (!Number.isNaN(at)) trail[kind] = at;
    if (kind !== 'terminal' || trail.read !== undefined) return;
    trail.read = epochNow();
    trail.shipped = shipped;
    if (this.outstanding.delete(id) && this.outstanding.size === 0) this.emptiedAt = performance.now();
  }

  /** Accepted orders whose terminal event was not read yet. */
  get unfinished(): number {
    return this.outstanding.size;
  }

  /** performance.now() when the last outstanding order finished. */
  get lastFinishedAt(): number {
    return this.emptiedAt;
  }

  /**
   * Orders per second whose terminal event was read between `from` and `to` (performance.now() moments): what the
   * pipeline carried then, whatever was asked of it.
   */
  finishedPerS(from: number, to: number): number {
    const [start, end] = [from + performance.timeOrigin, to + performance.timeOrigin];
    let finished = 0;
    for (const { read } of this.trails.values()) if (read !== undefined && read >= start && read < end) finished += 1;
    return Math.round(finished / Math.max(0.001, (end - start) / 1000));
  }

  split(): HopSplit {
    const all = new Samples();
    const flows = { shipped: new Samples(), notified: new Samples() };
    const hops = { order: new Samples(), payment: new Samples(), fulfilment: new Samples(), visible: new Samples() };
    for (const { sent, created, paid, terminal, read, shipped } of this.trails.values()) {
      if (read === undefined) continue;
      all.add(read - sent);
      (shipped ? flows.shipped : flows.notified).add(read - sent);
      if (created === undefined || paid === undefined || terminal === undefined) continue;
      hops.order.add(created - sent);
      hops.payment.add(paid - created);
      hops.fulfilment.add(terminal - paid);
      hops.visible.add(read - terminal);
    }
    return {
      endToEndMs: all.percentiles(),
      shippedMs: flows.shipped.percentiles(),
      notifiedMs: flows.notified.percentiles(),
      orderMs: hops.order.percentiles(),
      paymentMs: hops.payment.percentiles(),
      fulfilmentMs: hops.fulfilment.percentiles(),
      visibleMs: hops.visible.percentiles(),
    };
  }
}
