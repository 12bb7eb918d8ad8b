// A child process of the benchmark (a shop service or the HTTP ceiling): its own log file, started
// until its HTTP readiness route answers 200, stopped with SIGTERM (SIGKILL past a grace period).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { once, onTeardown } from './teardown.js';

export interface BenchProcessSpec {
  name: string;
  /** The program to run: `node` (this one) unless given, e.g. `java` for the Kafka Streams peer. */
  command?: string;
  /** Arguments to the command, e.g. `['dist/order/main.js']`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The HTTP port the process serves its readiness route on. */
  port: number;
  readyPath: string;
  logDir: string;
  /** When set, the process writes a V8 CPU profile there on exit, `<name>.cpuprofile` (`node --cpu-prof`). */
  profileDir?: string;
  readyWithinMs?: number;
}

export interface BenchProcess {
  name: string;
  pid: number;
  port: number;
  /** Wall-clock milliseconds from spawn to the first 200 of the readiness route. */
  startupMs: number;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

function keepLargestProfile(directory: string, target: string): void {
  try {
    const files = readdirSync(directory).map((name) => join(directory, name));
    const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (largest) renameSync(largest, target);
    rmSync(directory, { recursive: true, force: true });
  } catch {
    // No profile (the process was killed): nothing to keep.
  }
}

function logTail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
}

/**
 * Spawns `node ...spec.args` (or `spec.command`) and resolves once `GET spec.readyPath` answers 200.
 * Rejects (with the end of its log) when the process exits first or is not ready in time.
 */
export async function startBenchProcess(spec: BenchProcessSpec): Promise<BenchProcess> {
  const logFile = join(spec.logDir, `${spec.name}.log`);
  const log = openSync(logFile, 'a');
  // Every thread writes a profile (tsx's loader runs on one of its own): keep the main thread's, the largest.
  const threadProfiles = spec.profileDir ? join(spec.profileDir, spec.name) : undefined;
  const profile = threadProfiles && !spec.command ? ['--cpu-prof', '--cpu-prof-dir', threadProfiles] : [];
  const started = performance.now();
  const child = spawn(spec.command ?? process.execPath, [...profile, ...spec.args], {
    env: spec.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : 0);
      if (threadProfiles) keepLargestProfile(threadProfiles, `${threadProfiles}.cpuprofile`);
      resolve(exitCode);
    });
  });
  const stop = once(async () => {
    if (exitCode !== undefined) return exitCode;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
    const code = await exited;
    clearTimeout(killer);
    return code;
  });
  onTeardown(spec.name, stop);

  const deadline = started + (spec.readyWithinMs ?? 30000);
  const url = `http://127.0.0.1:${spec.port}${spec.readyPath}`;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${spec.name} exited (${exitCode}) before it was ready:\n${logTail(logFile)}`);
    const status = await fetch(url).then(
      (response) => response.arrayBuffer().then(() => response.status),
      () => 0,
    );
    if (status === 200) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} not ready on ${url} in time:\n${logTail(logFile)}`);
    }
    await sleep(50);
  }
  const startupMs = Math.round(performance.now() - started);
  return { name: spec.name, pid: child.pid!, port: spec.port, startupMs, stop };
}
