// Unit tests of the benchmark's capacity search (bench/capacity.ts, nextProbeRate): which rate it probes next
// from the probes so far, and when it stops. A pipeline is simulated by its true capacity: a probe passes at or
// below it, and above it the pipeline carries about its capacity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextProbeRate, type ProbeOutcome } from '../../bench/capacity.js';

/** Runs the search against a pipeline that sustains `capacity` orders/s, `probes` probes at most. */
function search(capacity: number, postOnlyRate: number, probes: number): ProbeOutcome[] {
  const done: ProbeOutcome[] = [];
  let rate: number | undefined = Math.round(postOnlyRate / 2);
  while (rate !== undefined && done.length < probes) {
    const sustained = rate <= capacity;
    done.push({ rate, sustained, acceptedPerS: rate, carriedPerS: sustained ? rate : Math.round(capacity * 1.05) });
    rate = nextProbeRate(done, postOnlyRate);
  }
  return done;
}

const best = (probes: ProbeOutcome[]): number =>
  Math.max(0, ...probes.filter((probe) => probe.sustained).map((probe) => probe.rate));

test('after a failing probe, the next one is steered by what the pipeline carried, not by halving', () => {
  const failed = [{ rate: 2225, sustained: false, acceptedPerS: 2225, carriedPerS: 600 }];
  assert.equal(nextProbeRate(failed, 4450), 540);
});

test('a pipeline at 9% of the POST-only rate is found within 5% in four probes (halving would stop at 70%)', () => {
  const probes = search(400, 4450, 4);
  assert.ok(best(probes) >= 0.95 * 400, `best passing ${best(probes)} of probes ${JSON.stringify(probes)}`);
  assert.ok(best(probes) <= 400);
});

test('a pipeline that keeps up goes up by half, but not past the POST-only rate', () => {
  assert.equal(nextProbeRate([{ rate: 1000, sustained: true, acceptedPerS: 1000, carriedPerS: 1000 }], 4000), 1500);
  assert.equal(nextProbeRate([{ rate: 3000, sustained: true, acceptedPerS: 3000, carriedPerS: 3000 }], 4000), 4000);
  assert.equal(
    nextProbeRate([{ rate: 4000, sustained: true, acceptedPerS: 4000, carriedPerS: 4000 }], 4000),
    undefined,
  );
});

test('a failure by lag alone (it carried the whole rate) bisects between the passing and the failing rate', () => {
  const probes = [
    { rate: 400, sustained: true, acceptedPerS: 400, carriedPerS: 400 },
    { rate: 600, sustained: false, acceptedPerS: 600, carriedPerS: 600 },
  ];
  assert.equal(nextProbeRate(probes, 4000), 500);
});

test('when the carried bound is already next to the passing rate, the search tries 10% above the bound', () => {
  const probes = [
    { rate: 2000, sustained: false, acceptedPerS: 2000, carriedPerS: 500 },
    { rate: 450, sustained: true, acceptedPerS: 450, carriedPerS: 450 },
    { rate: 475, sustained: true, acceptedPerS: 475, carriedPerS: 475 },
  ];
  assert.equal(nextProbeRate(probes, 4000), 550);
  assert.equal(
    nextProbeRate([...probes, { rate: 550, sustained: false, acceptedPerS: 550, carriedPerS: 560 }], 4000),
    513,
  );
});

test('the search stops once the next probe would be within 3% of the best passing rate', () => {
  const probes = [
    { rate: 1000, sustained: false, acceptedPerS: 1000, carriedPerS: 1010 },
    { rate: 980, sustained: true, acceptedPerS: 980, carriedPerS: 980 },
  ];
  assert.equal(nextProbeRate(probes, 4000), undefined);
  assert.equal(nextProbeRate([], 4000), undefined);
});

test('a probe that accepted less than it carried (a pipeline catching up) is bounded by what it accepted', () => {
  const caughtUp = [{ rate: 2243, sustained: false, acceptedPerS: 649, carriedPerS: 1081 }];
  assert.equal(nextProbeRate(caughtUp, 4486), 584);
});

test('a failing probe that carried nothing does not drag the search to zero', () => {
  assert.equal(nextProbeRate([{ rate: 1000, sustained: false, acceptedPerS: 1000, carriedPerS: 0 }], 4000), 900);
});
