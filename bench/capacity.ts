// Step 4: the pipeline's capacity, found by a short search and confirmed over a longer window, then the latency
// curve at fractions of it; the window at half of it gives the cost per order and the projection lag.
import type { RunningPipeline, WindowResult } from './pipeline.js';
import { say } from './progress.js';

export interface CapacityPlan {
  /** Load of each search probe, and how many probes. */
  probeS: number;
  probes: number;
  /** Load of the confirmation window at the rate found. */
  confirmS: number;
  /** Load of each point of the curve. */
  curveS: number;
  curveFractions: number[];
  drainCapS: number;
  /** autocannon instances each window's load is split over (order-load.ts). */
  rateSlices: number;
  /** One order in this many has its projection lag timed, in the window at half of capacity. */
  lagSampleEvery: number;
}

/**
 * The capacity criterion: a window sustains its rate when the order service accepted at least this share of it
 * with no other answer, the lag of every actor group together was under `lagBoundS` seconds of orders when the
 * load stopped, and the last accepted order's terminal event was read within `drainBoundMs` of that.
 */
export const sustained = { acceptedShare: 0.95, lagBoundS: 0.5, drainBoundMs: 1000 };

export interface CapacityResult {
  /** The rate the search started from: half of the POST-only rate. */
  estimate: number;
  /** Every probe, in order, with its verdict (a confirmation that failed too). */
  probes: { rate: number; sustained: boolean; why: string; window: WindowResult }[];
  /** The confirmed capacity (orders/s), and the 30 s window that confirmed it. */
  ordersPerS: number;
  confirmation: WindowResult;
  confirmed: boolean;
  curve: { fraction: number; window: WindowResult }[];
}

/** Whether `window` sustained its rate, and the figure that decided. */
export function verdictOf(window: WindowResult): { sustained: boolean; why: string } {
  const { load, rate, lagAtEnd, drainMs } = window;
  const others = load.responses - load.accepted + load.errors;
  if (load.acceptedPerS < rate * sustained.acceptedShare || others > 0) {
    return { sustained: false, why: `accepted ${load.acceptedPerS}/s of ${rate}, ${others} other answers` };
  }
  if (lagAtEnd < 0 || lagAtEnd > rate * sustained.lagBoundS) {
    return { sustained: false, why: `lag ${lagAtEnd} when the load stopped` };
  }
  if (drainMs === null || drainMs > sustained.drainBoundMs) {
    return { sustained: false, why: drainMs === null ? 'did not drain' : `drain ${drainMs} ms` };
  }
  return { sustained: true, why: `lag ${lagAtEnd} at the end, drain ${drainMs} ms` };
}

/**
 * Searches from half the POST-only rate: up by half while probes pass (to the POST-only rate at most), then
 * bisects between the best passing and the lowest failing rate; confirms the best over `confirmS`, stepping down
 * by 15% once if the confirmation fails. Then one window per fraction of the confirmed rate.
 */
export async function measureCapacity(
  pipeline: RunningPipeline,
  postOnlyRate: number,
  plan: CapacityPlan,
): Promise<CapacityResult> {
  const estimate = Math.max(10, Math.round(postOnlyRate / 2));
  const probes: CapacityResult['probes'] = [];
  let passing = 0;
  let failing = Infinity;
  let rate = estimate;
  for (let index = 0; index < plan.probes; index += 1) {
    const window = await pipeline.runWindow({
      label: `probe-${index + 1}`,
      rate,
      durationS: plan.probeS,
      drainCapS: plan.drainCapS,
      rateSlices: plan.rateSlices,
    });
    const verdict = verdictOf(window);
    probes.push({ rate, ...verdict, window });
    say(`probe at ${rate} orders/s: ${verdict.sustained ? 'sustained' : 'not sustained'} (${verdict.why})`);
    if (verdict.sustained) passing = Math.max(passing, rate);
    else failing = Math.min(failing, rate);
    rate = Number.isFinite(failing)
      ? Math.round((passing + failing) / 2)
      : Math.min(postOnlyRate, Math.round(rate * 1.5));
    if (rate === passing || rate === failing) break;
  }
  let found = Math.max(10, passing || Math.round(failing / 2));
  let confirmation = await pipeline.runWindow({
    label: 'capacity',
    rate: found,
    durationS: plan.confirmS,
    drainCapS: plan.drainCapS,
    rateSlices: plan.rateSlices,
  });
  let confirmed = verdictOf(confirmation).sustained;
  if (!confirmed) {
    probes.push({ rate: found, ...verdictOf(confirmation), window: confirmation });
    say(`capacity ${found} orders/s not confirmed (${verdictOf(confirmation).why}); trying 15% less`);
    found = Math.max(10, Math.round(found * 0.85));
    confirmation = await pipeline.runWindow({
      label: 'capacity-retry',
      rate: found,
      durationS: plan.confirmS,
      drainCapS: plan.drainCapS,
      rateSlices: plan.rateSlices,
    });
    confirmed = verdictOf(confirmation).sustained;
  }
  say(`capacity: ${found} orders/s${confirmed ? '' : ' (not confirmed)'}`);

  const curve: CapacityResult['curve'] = [];
  for (const fraction of plan.curveFractions) {
    const percent = Math.round(fraction * 100);
    const window = await pipeline.runWindow({
      label: `curve-${percent}%`,
      rate: Math.max(1, Math.round(found * fraction)),
      durationS: plan.curveS,
      drainCapS: plan.drainCapS,
      rateSlices: plan.rateSlices,
      ...(fraction === 0.5 ? { projectionSampleEvery: plan.lagSampleEvery } : {}),
    });
    curve.push({ fraction, window });
  }
  return { estimate, probes, ordersPerS: found, confirmation, confirmed, curve };
}
