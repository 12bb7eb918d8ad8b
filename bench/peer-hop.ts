// Step 6's latency half: single-hop latency (bench/single-hop.ts) at a low steady rate, for the payment actor and
// for its Kafka Streams peer, each on new topics of the same broker, each side warmed up first on its own input.
import type { Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import type { Logger } from '../src/logger.js';
import { warmBrokerForActor } from './actor-rate.js';
import type { BenchProcess } from './bench-process.js';
import { requestsBetween, type BrokerRequests, type RequestCounts } from './broker-requests.js';
import { startWarmPeer } from './peer.js';
import { say } from './progress.js';
import { startShopService, type ServiceSettings } from './shop-services.js';
import { measureSingleHop, type SingleHopResult } from './single-hop-probe.js';

export interface SingleHops {
  actor: SingleHopResult;
  peer: SingleHopResult;
}

export interface SingleHopPlan {
  hopRate: number;
  hopS: number;
  hopWarmupS: number;
  peerWarmupEvents: number;
  actorCapS: number;
}

async function hopThrough(
  config: Config,
  log: Logger,
  plan: SingleHopPlan,
  start: () => Promise<BenchProcess>,
  requests?: BrokerRequests,
): Promise<SingleHopResult> {
  const processor = await start();
  try {
    // A reading that fails leaves the figure out, not the run.
    const counted = async (): Promise<RequestCounts | undefined> => {
      try {
        return await requests?.read();
      } catch (error) {
        say(`broker request counts left out: ${String(error)}`);
        return undefined;
      }
    };
    const before = await counted();
    const result = await measureSingleHop(config, log, {
      inputTopic: topic(config.topicPrefix, 'order_created'),
      outputTopics: [topic(config.topicPrefix, 'payment_completed'), topic(config.topicPrefix, 'payment_failed')],
      ratePerS: plan.hopRate,
      seconds: plan.hopS,
      warmupS: plan.hopWarmupS,
    });
    const after = await counted();
    if (before === undefined || after === undefined) return result;
    return { ...result, brokerRequests: Object.fromEntries(requestsBetween(before, after)) };
  } finally {
    await processor.stop();
  }
}

/**
 * Single-hop latency of the payment actor, then of the peer; `freshShop` gives new topics under a new prefix. With
 * `requests`, each side's result also holds the requests the broker answered during its run.
 */
export async function measureSingleHops(
  freshShop: (step: string) => Promise<Config>,
  log: Logger,
  settings: ServiceSettings,
  plan: SingleHopPlan,
  requests?: BrokerRequests,
): Promise<SingleHops> {
  say(`single hop at ${plan.hopRate} events/s: the payment actor (after a warm-up on its own input)`);
  await warmBrokerForActor(freshShop, log, settings, plan, 'hop-payment-warm');
  const actorShop = await freshShop('hop-actor');
  const actor = await hopThrough(
    actorShop,
    log,
    plan,
    () => startShopService('payment', actorShop.topicPrefix, 'hop-payment', settings),
    requests,
  );
  say(`single hop at ${plan.hopRate} events/s: the Kafka Streams peer`);
  const peerShop = await freshShop('hop-peer');
  const warmShop = await freshShop('hop-peer-warm');
  const peer = await hopThrough(
    peerShop,
    log,
    plan,
    () => startWarmPeer(peerShop, warmShop, log, settings, { events: plan.peerWarmupEvents, label: 'hop-peer' }),
    requests,
  );
  return { actor, peer };
}
