// One process of `make dev` under supervision, like a compose service with `restart: unless-stopped`: every
// exit it was not asked for is followed by a restart after a growing delay; stop() ends it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How long to wait before a restart: `firstDelayMs`, doubled per quick exit up to `maxDelayMs`. */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next exit starts again at `firstDelayMs`. */
  stableAfterMs: number;
}

export const defaultRestartPolicy: Readonly<RestartPolicy> = {
  firstDelayMs: 1000,
  maxDelayMs: 30000,
  stableAfterMs: 60000,
};

/**
 * The delay before restart number `restart` (1-based) of a series of quick exits.
 * @example restartDelayMs(defaultRestartPolicy, 3) // 4000
 */
export function restartDelayMs(policy: RestartPolicy, restart: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, restart - 1));
}

/** How a run ended: its exit code, or the signal that ended it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessSpec {
  /** Names the process in log lines, e.g. `payment-2`. */
  name: string;
  command: string;
  args: string[];
  /** The whole environment of the process. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface SupervisedProcess {
  readonly name: string;
  /** The pid of the current run; undefined while waiting for a restart and once stopped. */
  pid(): number | undefined;
  /** Ends supervision: SIGTERM to a running process; resolves with how its last run ended. Idempotent. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL to the current run, for a stop that overran its grace period. */
  kill(): void;
}

/** Where the supervisor says what it does, e.g. `(level, message, meta) => logger.log(level, message, meta)`. */
export type SupervisorLog = (level: 'info' | 'warn' | 'error', message: string, meta: Record<string, unknown>) => void;

export interface SuperviseOptions {
  log: SupervisorLog;
  /** Each line the process writes to stdout or stderr, as it comes. */
  onLine: (line: string) => void;
  policy?: RestartPolicy;
}

/**
 * Starts `spec` and keeps it running until stop().
 * @example const payment = supervise(spec, { log, onLine: (line) => console.log(`payment | ${line}`) });
 */
export function supervise(spec: ProcessSpec, options: SuperviseOptions): SupervisedProcess {
  const { log, onLine, policy = defaultRestartPolicy } = options;
  let child: ChildProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped: Promise<ExitStatus> | undefined;
  let resolveStopped: (status: ExitStatus) => void = () => undefined;
  let lastExit: ExitStatus = { code: null, signal: null };
  let quickExits = 0;

  const start = (): void => {
    restartTimer = undefined;
    const startedAt = performance.now();
    const run = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = run;
    for (const stream of [run.stdout, run.stderr])
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    run.on('error', (error) => log('error', 'process could not be started', { process: spec.name, error }));
    // 'close', not 'exit': the output of this run is all read before the next run starts.
    run.on('close', (code, signal) => {
      child = undefined;
      lastExit = { code, signal };
      const ranMs = Math.round(performance.now() - startedAt);
      if (stopped) {
        log(code === 0 ? 'info' : 'warn', 'process exited', { process: spec.name, code, signal, ranMs });
        resolveStopped(lastExit);
        return;
      }
      quickExits = ranMs >= policy.stableAfterMs ? 1 : quickExits + 1;
      const delayMs = restartDelayMs(policy, quickExits);
      log('warn', 'process exited, restarting', { process: spec.name, code, signal, ranMs, delayMs });
      restartTimer = setTimeout(start, delayMs);
    });
    log('info', 'process started', { process: spec.name, pid: run.pid });
  };

  start();
  return {
    name: spec.name,
    pid: () => child?.pid,
    stop() {
      if (stopped) return stopped;
      stopped = new Promise((resolve) => (resolveStopped = resolve));
      clearTimeout(restartTimer);
      if (child) child.kill('SIGTERM');
      else resolveStopped(lastExit);
      return stopped;
    },
    kill: () => void child?.kill('SIGKILL'),
  };
}
