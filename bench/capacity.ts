// Step 4: the pipeline's capacity, found by a short search and confirmed over a longer window, then the latency
// curve at fractions of it and unloaded; the window at half of it gives the cost per order and the projection lag.
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
  /** The rate of the unloaded point: a few orders a second, the latency of an idle pipeline. */
  unloadedRate: number;
  drainCapS: number;
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
  /** `unloadedRate` orders/s for `curveS`: the latency floor the fractions' latencies compare with. */
  unloaded: WindowResult;
}

/** Whether `window` sustained its rate, and the figure that decided. */
export function verdictOf(window: WindowResult): { sustained: boolean; why: string } {
  const { load, rate, lagAtEnd, drainMs } = window;
  const others = load.responses - load.accepted + load.errors;
  if (load.acceptedPerS < rate * sustained.acceptedShare || others > 0) {
    const missed = load.missed ? `, ${load.missed} not sent (a second's worth waited)` : '';
    return { sustained: false, why: `accepted ${load.acceptedPerS}/s of ${rate}, ${others} other answers${missed}` };
  }
  if (lagAtEnd < 0 || lagAtEnd > rate * sustained.lagBoundS) {
    return { sustained: false, why: `lag ${lagAtEnd} when the load stopped` };
  }
  if (drainMs === null || drainMs > sustained.drainBoundMs) {
    return { sustained: false, why: drainMs === null ? 'did not drain' : `drain ${drainMs} ms` };
  }
  return { sustained: true, why: `lag ${lagAtEnd} at the end, drain ${drainMs} ms` };
}

/** Probes closer than this share of the rate to the best passing one tell nothing more: the search stops. */
const resolution = 0.03;

/** A probe as the search sees it: the rate asked, its verdict, what the order service accepted, what was carried. */
export interface ProbeOutcome {
  rate: number;
  sustained: boolean;
  acceptedPerS: number;
  carriedPerS: number;
}

/** The highest rate a probe sustained, 0 when none did. */
function bestPassingRate(probes: Pick<ProbeOutcome, 'rate' | 'sustained'>[]): number {
  return Math.max(0, ...probes.filter((probe) => probe.sustained).map((probe) => probe.rate));
}

/**
 * The rate of the next probe, or undefined when the search is done. Up by half while probes pass (to the POST-only
 * rate at most). Once one failed, the pipeline's rate is below the lowest failing rate and, roughly, below what it
 * carried while it failed (or accepted, if less: a pipeline catching up in a probe's second half can finish more
 * than it accepted): the next probe lies halfway between the best passing rate and that bound (at 90% of the
 * bound while none passed); when that is within the resolution of the passing rate, 10% above the bound (a
 * pipeline may carry a little more when it is not overloaded), and never at or above the lowest failing rate.
 */
export function nextProbeRate(probes: ProbeOutcome[], postOnlyRate: number): number | undefined {
  const passing = bestPassingRate(probes);
  const failed = probes.filter((probe) => !probe.sustained);
  const last = probes.at(-1);
  if (!last) return undefined;
  const close = (rate: number): boolean => rate - passing < resolution * rate;
  if (failed.length === 0) {
    const up = Math.min(postOnlyRate, Math.round(last.rate * 1.5));
    return close(up) ? undefined : up;
  }
  const failing = Math.min(...failed.map((probe) => probe.rate));
  const carried = failed.map((probe) => Math.min(probe.carriedPerS, probe.acceptedPerS)).filter((perS) => perS > 0);
  const bound = Math.min(failing, ...carried);
  let next = passing === 0 ? Math.round(bound * 0.9) : Math.round((passing + bound) / 2);
  // Next to the bound already: the pipeline may carry more when it is not overloaded; try a little above it.
  if (close(next)) next = bound < failing ? Math.round(bound * 1.1) : Math.round((passing + failing) / 2);
  if (next >= failing) next = Math.round((passing + failing) / 2);
  return close(next) || next >= failing ? undefined : Math.max(1, next);
}

/**
 * Searches from half the POST-only rate (nextProbeRate), `plan.probes` probes at most; confirms the best over
 * `confirmS`, stepping down by 15% once if the confirmation fails. Then one window per fraction of the confirmed
 * rate, and one unloaded.
 */
export async function measureCapacity(
  pipeline: RunningPipeline,
  postOnlyRate: number,
  plan: CapacityPlan,
): Promise<CapacityResult> {
  const estimate = Math.max(10, Math.round(postOnlyRate / 2));
  const probes: CapacityResult['probes'] = [];
  const outcomes = (): ProbeOutcome[] =>
    probes.map(({ rate, sustained: held, window }) => ({
      rate,
      sustained: held,
      acceptedPerS: window.load.acceptedPerS,
      carriedPerS: window.carriedPerS,
    }));
  let rate: number | undefined = estimate;
  while (rate !== undefined && probes.length < plan.probes) {
    const window = await pipeline.runWindow({
      label: `probe-${probes.length + 1}`,
      rate,
      durationS: plan.probeS,
      drainCapS: plan.drainCapS,
    });
    const verdict = verdictOf(window);
    probes.push({ rate, ...verdict, window });
    say(`probe at ${rate} orders/s: ${verdict.sustained ? 'sustained' : 'not sustained'} (${verdict.why})`);
    rate = nextProbeRate(outcomes(), postOnlyRate);
  }
  const passing = bestPassingRate(probes);
  // When no probe passed, the confirmation tries the rate the search would have probed next.
  let found = Math.max(10, passing || (nextProbeRate(outcomes(), postOnlyRate) ?? Math.round(estimate / 2)));
  let confirmation = await pipeline.runWindow({
    label: 'capacity',
    rate: found,
    durationS: plan.confirmS,
    drainCapS: plan.drainCapS,
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
      ...(fraction === 0.5 ? { projectionSampleEvery: plan.lagSampleEvery } : {}),
    });
    curve.push({ fraction, window });
  }
  const unloaded = await pipeline.runWindow({
    label: 'unloaded',
    rate: plan.unloadedRate,
    durationS: plan.curveS,
    drainCapS: plan.drainCapS,
  });
  return { estimate, probes, ordersPerS: found, confirmation, confirmed, curve, unloaded };
}
