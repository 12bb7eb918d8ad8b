// One of the shop's real processes as the fault tests run it: compiled (`node dist/.../main.js`, built by
// deploy/test-faults.sh), as the images and `make dev` run it, with its own log file, ready when its /readyz
// answers 200, and stopped the hard way (kill -9) or the clean way (SIGTERM).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceEntries } from '../../src/cli/dev-processes.js';
import { configEnv } from '../../src/config.js';

export type ServiceName = 'order' | 'payment' | 'shipping' | 'notification' | 'status';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// The newest modification time of the files under `dir`, in ms.
const newestIn = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );

let builtChecked = false;

/**
 * Throws unless dist/ holds the services built from today's src/: a test of stale code would pass or fail for
 * the wrong reason. The test runners (deploy/test-*.sh) build first; a test file run on its own needs `make build`.
 * Checked once per test process.
 */
function assertBuilt(): void {
  if (builtChecked) return;
  const built = Object.values(serviceEntries).map(({ main }) =>
    statSync(join(repoRoot, main), { throwIfNoEntry: false }),
  );
  const oldest = Math.min(...built.map((stat) => stat?.mtimeMs ?? 0));
  if (oldest < newestIn(join(repoRoot, 'src')))
    throw new Error('dist/ is missing or older than src/: run `make build` (the make test targets build it first)');
  builtChecked = true;
}

/** How a process ended: its exit code (null when a signal ended it), the signal, and how long it took. */
export interface ExitReport {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the signal the test sent to the process's exit. */
  ms: number;
}

export interface ServiceSpec {
  service: ServiceName;
  /** Names the log file and the figures, e.g. `payment-2`. */
  label: string;
  /** The HTTP port (order endpoint or actor health); the same on a restart, so the instance keeps its identity. */
  port: number;
  /** Settings (environment variables) on top of nothing but PATH/HOME and the like: no stray shop settings. */
  env: Record<string, string>;
  logDir: string;
}

export interface ServiceProcess {
  spec: ServiceSpec;
  pid: number;
  /** True until the process has exited. */
  alive(): boolean;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<Omit<ExitReport, 'ms'>>;
  /** Polls GET /readyz until 200; resolves with the milliseconds since spawn. Rejects if the process exits. */
  ready(timeoutMs: number): Promise<number>;
  /** Milliseconds from spawn to the first answer of GET /readyz, whatever its status (the process is up). */
  upMs(): number | undefined;
  /** An actor's input partitions now, as its GET /readyz tells (`assigned`); undefined when it does not answer. */
  assigned(): Promise<number | undefined>;
  /** `kill -9`: resolves when the process is gone. */
  kill(): Promise<ExitReport>;
  /** SIGTERM; SIGKILL after `graceMs` (reported as signal SIGKILL). */
  terminate(graceMs?: number): Promise<ExitReport>;
  /** The last lines of the log file, for failure messages. */
  logTail(lines?: number): string;
}

// The environment of a child: the test's own, minus every shop setting, so a developer's PAYMENT_FAILURE_RATE
// or LOG_LEVEL does not leak into a fault test.
function childEnv(spec: ServiceSpec): NodeJS.ProcessEnv {
  const shopVariables = new Set(Object.values(configEnv));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !shopVariables.has(name)));
  return {
    ...inherited,
    LOG_FORMAT: 'json',
    HTTP_HOST: '127.0.0.1',
    ...spec.env,
    [configEnv[serviceEntries[spec.service].port]]: String(spec.port),
  };
}

/**
 * Spawns one service process; its output is appended to `<logDir>/<label>.log`.
 * @example const payment = spawnService({ service: 'payment', label: 'payment-1', port, env, logDir });
 */
export function spawnService(spec: ServiceSpec): ServiceProcess {
  assertBuilt();
  const logFile = join(spec.logDir, `${spec.label}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [serviceEntries[spec.service].main], {
    cwd: repoRoot,
    env: childEnv(spec),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let running = true;
  const exited = new Promise<Omit<ExitReport, 'ms'>>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const logTail = (lines = 20): string => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');

  const signalled = async (signal: NodeJS.Signals, graceMs: number): Promise<ExitReport> => {
    const sent = performance.now();
    if (!running) return { ...(await exited), ms: 0 };
    child.kill(signal);
    const killer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
    const report = await exited;
    clearTimeout(killer);
    return { ...report, ms: Math.round(performance.now() - sent) };
  };

  // A process that took this port while this one was down must not pass for it: an actor's answer names its
  // group, which carries the shop's topic prefix. Anything else answering counts as no answer.
  const answerOf = async (response: Response): Promise<number> => {
    const body: unknown = await response.json().catch(() => undefined);
    const group = typeof body === 'object' && body !== null && 'groupId' in body ? String(body.groupId) : '';
    const ours = spec.service === 'order' || group.startsWith(spec.env.TOPIC_PREFIX ?? '');
    return ours ? response.status : 0;
  };
  let upMs: number | undefined;
  return {
    spec,
    pid: child.pid ?? -1,
    alive: () => running,
    exited,
    async ready(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      const url = `http://127.0.0.1:${spec.port}/readyz`;
      for (;;) {
        if (!running)
          throw new Error(`${spec.label} exited (${(await exited).code}) before it was ready:\n${logTail()}`);
        const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(answerOf, () => 0);
        if (status !== 0) upMs ??= Math.round(performance.now() - started);
        if (status === 200) return Math.round(performance.now() - started);
        if (performance.now() > deadline) {
          const answered = upMs === undefined ? 'it never answered' : `it answered first after ${upMs} ms`;
          throw new Error(`${spec.label} not ready on ${url} in ${timeoutMs} ms (${answered}):\n${logTail(5)}`);
        }
        await sleep(50);
      }
    },
    upMs: () => upMs,
    assigned: () =>
      fetch(`http://127.0.0.1:${spec.port}/readyz`, { signal: AbortSignal.timeout(2000) })
        .then((response) => response.json() as Promise<{ assigned?: unknown }>)
        .then((body) => (typeof body.assigned === 'number' ? body.assigned : undefined))
        .catch(() => undefined),
    kill: () => signalled('SIGKILL', 0),
    terminate: (graceMs = 15000) => signalled('SIGTERM', graceMs),
    logTail,
  };
}
