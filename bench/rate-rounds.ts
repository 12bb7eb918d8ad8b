// Step 6's rates in rounds: the payment actor, then its Kafka Streams peer, again and again in turns. On this
// machine one side's rate moves by a quarter from one run to the next, so one run of each compares little; the
// medians of a few rounds taken in turns compare both under the same conditions. Each side is warmed up on its own
// input before it is timed: the peer's JVM in its own process, and the broker for the actor's client after the
// peer's (right after the peer, the actor's single hop took three times as long for a minute or so).
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { measureActorRate, timedPart, warmBrokerForActor } from './actor-rate.js';
import type { RateRound } from './bench-results.js';
import { measurePeerRate } from './peer.js';
import type { Plan } from './plans.js';
import { say } from './progress.js';
import type { ServiceSettings } from './shop-services.js';

/**
 * Rounds 2 to `plan.rateRounds` after `first` (step 5's payment run and step 6's first peer run), each on new
 * topics from `freshShop`; returns every round, the first included.
 */
export async function measureRateRounds(
  freshShop: (step: string) => Promise<Config>,
  log: Logger,
  services: ServiceSettings,
  plan: Pick<Plan, 'events' | 'actorCapS' | 'peerWarmupEvents' | 'rateRounds'>,
  first: RateRound,
): Promise<RateRound[]> {
  const rounds = [{ actor: timedPart(first.actor), peer: timedPart(first.peer) }];
  for (let round = 2; round <= plan.rateRounds; round += 1) {
    say(`step 6/6: round ${round} of ${plan.rateRounds}, the payment actor and then the peer again`);
    await warmBrokerForActor(freshShop, log, services, plan, `rate-payment-warm-${round}`);
    const actor = await measureActorRate(await freshShop(`payment-${round}`), log, services, {
      actor: 'payment',
      events: plan.events,
      capS: plan.actorCapS,
      label: `rate-payment-${round}`,
    });
    const peer = await measurePeerRate(
      await freshShop(`peer-${round}`),
      await freshShop(`peer-warm-${round}`),
      log,
      services,
      {
        events: plan.events,
        warmupEvents: plan.peerWarmupEvents,
        capS: plan.actorCapS,
        label: `peer-payment-${round}`,
      },
    );
    rounds.push({ actor: timedPart(actor), peer: timedPart(peer) });
  }
  return rounds;
}
