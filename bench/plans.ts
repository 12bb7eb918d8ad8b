// How long each step of `make bench` runs: the full run (about 12 minutes on 2 cores) and the CI smoke run
// (about 2 minutes), with the connections of the load generator.

const full = {
  warmupS: 3,
  durationS: 30,
  singleS: 5,
  produceS: 10,
  transactionS: 5,
  transactionWarmupS: 30,
  events: 200_000,
  actorCapS: 45,
  drainCapS: 10,
  lagSampleEvery: 25,
  // Step 4: capacity search, confirmation, latency curve.
  probeS: 12,
  probes: 4,
  confirmS: 30,
  curveS: 20,
  curveFractions: [0.1, 0.25, 0.5, 0.75],
  // Step 4: the unloaded point, orders/s (evenly spaced, as every rate of step 4).
  unloadedRate: 5,
  // Step 6: the Kafka Streams peer's JVM warm-up.
  peerWarmupEvents: 50_000,
  // Step 6: rounds of the payment actor and the peer taken in turns (the first is step 5's payment run), whose
  // medians are compared: one side's rate moves by a quarter from one run to the next on this machine.
  rateRounds: 3,
  // Step 6: single-hop latency at a low steady rate (bench/single-hop.ts), actor and peer.
  hopRate: 200,
  hopS: 20,
  hopWarmupS: 3,
};

export type Plan = typeof full & { connections: number };

export const plans: Record<'full' | 'quick', Plan> = {
  full: { ...full, connections: 64 },
  quick: {
    ...full,
    warmupS: 1,
    durationS: 3,
    singleS: 2,
    produceS: 2,
    transactionS: 1,
    transactionWarmupS: 5,
    events: 5_000,
    actorCapS: 20,
    drainCapS: 5,
    lagSampleEvery: 5,
    probeS: 3,
    probes: 1,
    confirmS: 3,
    curveS: 3,
    peerWarmupEvents: 2_000,
    rateRounds: 2,
    hopS: 3,
    hopWarmupS: 2,
    connections: 64,
  },
};
