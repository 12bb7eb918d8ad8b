// The Kafka Streams peer of the payment actor (bench/peer/): built with Maven (offline once its artifacts are cached),
// run as a JVM with one stream thread and exactly-once v2, warmed up on its own input, then timed like step 5.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import type { Logger } from '../src/logger.js';
import { timeCatchUp, type PreloadedRate } from './actor-rate.js';
import { startBenchProcess, type BenchProcess } from './bench-process.js';
import { preloadEvents } from './preload.js';
import { say } from './progress.js';
import type { ServiceSettings } from './shop-services.js';
import { freePort } from '../test/helpers.js';

const peerDir = fileURLToPath(new URL('peer/', import.meta.url));
const jar = join(peerDir, 'target/payment-streams-peer-1.0.0.jar');
const sources = ['pom.xml', 'src/PaymentPeer.java'].map((file) => join(peerDir, file));
/** The peer JVM's heap, as small as the broker's: it is listed with the results. */
export const peerHeap = process.env.PEER_HEAP ?? '256m';

export interface PeerRate extends PreloadedRate {
  /** The Streams settings the timed instance ran with, as it printed them. */
  settings: Record<string, unknown>;
  warmupEvents: number;
}

function mvn(offline: boolean): Promise<number | null> {
  const args = ['-B', '-q', ...(offline ? ['-o'] : []), 'package', 'dependency:copy-dependencies'];
  args.push('-DincludeScope=runtime', '-DoutputDirectory=target/lib');
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: peerDir, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
}

/** Builds bench/peer/ unless its jar is newer than its sources: offline first, then fetching what is missing. */
export async function buildPeer(): Promise<void> {
  const built = existsSync(jar) && existsSync(join(peerDir, 'target/lib')) ? statSync(jar).mtimeMs : 0;
  if (sources.every((file) => statSync(file).mtimeMs < built)) return;
  say('building the Kafka Streams peer (mvn -o package)');
  if ((await mvn(true)) === 0) return;
  say('some Maven artifacts are not cached yet: fetching them');
  if ((await mvn(false)) !== 0) throw new Error('mvn package of bench/peer failed');
}

/**
 * Starts the peer on `prefix` (its topics created) and resolves once its timed instance runs. With `warmup`, it
 * first works through that many events on `warmup.prefix`, already preloaded there, in the same JVM.
 */
export async function startPeer(
  brokers: string,
  prefix: string,
  settings: ServiceSettings,
  warmup?: { prefix: string; events: number },
  name = 'peer-payment',
): Promise<BenchProcess> {
  const port = await freePort();
  return startBenchProcess({
    name,
    command: 'java',
    args: [`-Xmx${peerHeap}`, '-cp', `${jar}:${join(peerDir, 'target/lib/*')}`, 'dev.webshop.peer.PaymentPeer'],
    env: {
      ...process.env,
      PEER_BOOTSTRAP: brokers,
      PEER_PREFIX: prefix,
      PEER_PORT: String(port),
      PEER_WARMUP_EVENTS: String(warmup?.events ?? 0),
      PEER_WARMUP_PREFIX: warmup?.prefix ?? '',
    },
    port,
    readyPath: '/readyz',
    logDir: settings.logDir,
    readyWithinMs: 180000,
  });
}

/**
 * Starts the peer on `config`'s topics once its JVM is warm: `events` are preloaded on `warmConfig`'s order_created
 * and worked through first, in the same JVM.
 */
export async function startWarmPeer(
  config: Config,
  warmConfig: Config,
  log: Logger,
  settings: ServiceSettings,
  { events, label }: { events: number; label: string },
): Promise<BenchProcess> {
  await buildPeer();
  const warmInput = topic(warmConfig.topicPrefix, 'order_created');
  await preloadEvents(warmConfig, log, warmInput, 'webshop.order.created', events);
  return startPeer(
    config.kafkaBrokers,
    config.topicPrefix,
    settings,
    { prefix: warmConfig.topicPrefix, events },
    label,
  );
}

/** The settings line the peer prints before it starts its timed instance. */
function printedSettings(logDir: string, label: string): Record<string, unknown> {
  const line = readFileSync(join(logDir, `${label}.log`), 'utf8')
    .split('\n')
    .find((text) => text.startsWith('peer settings '));
  return line ? (JSON.parse(line.slice('peer settings '.length)) as Record<string, unknown>) : {};
}

/**
 * The payment step of step 5 for the peer: `events` preloaded on `config`'s order_created, `warmupEvents` on
 * `warmConfig`'s, timed from ready (after the warm-up) until its group committed every event.
 */
export async function measurePeerRate(
  config: Config,
  warmConfig: Config,
  log: Logger,
  settings: ServiceSettings,
  {
    events,
    warmupEvents,
    capS,
    label = 'peer-payment',
  }: { events: number; warmupEvents: number; capS: number; label?: string },
): Promise<PeerRate> {
  await buildPeer();
  const inputTopic = topic(config.topicPrefix, 'order_created');
  await preloadEvents(
    warmConfig,
    log,
    topic(warmConfig.topicPrefix, 'order_created'),
    'webshop.order.created',
    warmupEvents,
  );
  const preload = await preloadEvents(config, log, inputTopic, 'webshop.order.created', events);
  const groupId = `${config.topicPrefix}payment-streams`;
  const timed = await timeCatchUp(config, log, { groupId, inputTopic, events, capS }, () =>
    startPeer(
      config.kafkaBrokers,
      config.topicPrefix,
      settings,
      { prefix: warmConfig.topicPrefix, events: warmupEvents },
      label,
    ),
  );
  return { preload, ...timed, settings: printedSettings(settings.logDir, label), warmupEvents };
}
