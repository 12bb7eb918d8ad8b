// The processes the benchmark runs: the shop's five services compiled to dist/ first (what production runs),
// each with the bench's broker, a topic prefix, a free port and quiet logs (the actors on jemalloc, allocator.ts);
// and the bare HTTP ceiling.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceEntries } from '../src/cli/dev-processes.js';
import { configEnv } from '../src/config.js';
import { freePort } from '../test/helpers.js';
import { actorPreload } from './allocator.js';
import { startBenchProcess, type BenchProcess } from './bench-process.js';

export type ShopService = 'order' | 'payment' | 'shipping' | 'notification' | 'status';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** What every service of a run shares: the environment it overrides and where logs and profiles go. */
export interface ServiceSettings {
  /** KAFKA_BROKERS, LOG_LEVEL, LOG_FORMAT and any other setting the run pins. */
  env: Record<string, string>;
  logDir: string;
  profileDir?: string;
}

/** `npm run build` (tsc and the live page's files), as `make build` does; rejects when the build fails. */
export function buildDist(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}`))));
  });
}

/**
 * Starts one service on `topicPrefix` and resolves when its /readyz answers 200 (for an actor: its
 * partitions are assigned). `label` names its log file, e.g. `pipeline-payment`.
 */
export async function startShopService(
  service: ShopService,
  topicPrefix: string,
  label: string,
  settings: ServiceSettings,
): Promise<BenchProcess> {
  const { main, port: portSetting } = serviceEntries[service];
  const port = await freePort();
  return startBenchProcess({
    name: label,
    args: [`${repoRoot}${main}`],
    env: {
      ...process.env,
      ...settings.env,
      ...(service === 'order' ? {} : actorPreload()),
      TOPIC_PREFIX: topicPrefix,
      HTTP_HOST: '127.0.0.1',
      [configEnv[portSetting]]: String(port),
    },
    port,
    readyPath: '/readyz',
    logDir: settings.logDir,
    ...(settings.profileDir ? { profileDir: settings.profileDir } : {}),
  });
}

/** The bare Koa server of bench/http-ceiling.ts (through tsx), on a free port, ready to answer. */
export async function startHttpCeiling(settings: ServiceSettings): Promise<BenchProcess> {
  const port = await freePort();
  return startBenchProcess({
    name: 'http-ceiling',
    args: ['--import', import.meta.resolve('tsx'), `${repoRoot}bench/http-ceiling.ts`, String(port)],
    env: process.env,
    port,
    readyPath: '/readyz',
    logDir: settings.logDir,
    ...(settings.profileDir ? { profileDir: settings.profileDir } : {}),
  });
}
