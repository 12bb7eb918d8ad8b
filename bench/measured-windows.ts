// The measured part of each step: when it ran, on the monotonic clock V8's CPU profiles use (so that
// profile-summary.ts leaves out start-up and shutdown), and how many cores each process used meanwhile.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MeasuredWindow {
  /** Microseconds of CLOCK_MONOTONIC, like a .cpuprofile's startTime. */
  fromUs: number;
  toUs: number;
  /** Cores used on average by each process, and by the whole machine (`machine`, every process). */
  cores: Record<string, number>;
}

/** A process to account for, by the label of its log and profile files. */
export interface WatchedProcess {
  label: string;
  pid: number;
}

const windows: Record<string, MeasuredWindow & { processes: string[] }> = {};
const always: WatchedProcess[] = [{ label: 'bench', pid: process.pid }];
const clockTicks = 100; // USER_HZ: the unit of /proc times on every Linux build
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** CPU seconds used so far by `pid` (0 where /proc is not there or the process is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process of the machine. */
function machineSeconds(): number {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / clockTicks;
  } catch {
    return 0;
  }
}

/** Accounts for `process` in every window opened from now on (the broker, for one). */
export function watchInEveryWindow(watched: WatchedProcess): void {
  always.push(watched);
}

/**
 * Starts the window of `step` over `processes` (plus the bench and any `watchInEveryWindow` process);
 * call the result to end it.
 * @example const end = openWindow('rate-payment', [{ label: 'rate-payment', pid }]); await caughtUp(); end();
 */
export function openWindow(step: string, processes: WatchedProcess[]): () => void {
  const watched = [...always, ...processes];
  const before = watched.map(({ pid }) => cpuSeconds(pid));
  const machineBefore = machineSeconds();
  const fromUs = nowUs();
  return () => {
    const toUs = nowUs();
    const seconds = (toUs - fromUs) / 1e6;
    const cores: Record<string, number> = {};
    watched.forEach(({ label, pid }, index) => {
      cores[label] = Math.round(((cpuSeconds(pid) - before[index]!) / seconds) * 100) / 100;
    });
    cores.machine = Math.round(((machineSeconds() - machineBefore) / seconds) * 100) / 100;
    windows[step] = { fromUs, toUs, cores, processes: processes.map(({ label }) => label) };
  };
}

/** The window of `step` once it ended, or undefined. */
export function measuredWindow(step: string): MeasuredWindow | undefined {
  const found = windows[step];
  return found && { fromUs: found.fromUs, toUs: found.toUs, cores: found.cores };
}

/** Cores used per process in each step's window. */
export function coresByStep(): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(windows).map(([step, { cores }]) => [step, cores]));
}

/**
 * Writes `dir/windows.json`: the window of each profiled process (by its label, the latest window it was in), which
 * profile-summary.ts reads next to the profiles.
 */
export async function writeProfileWindows(dir: string): Promise<void> {
  const byProcess: Record<string, { fromUs: number; toUs: number }> = {};
  for (const { fromUs, toUs, processes } of Object.values(windows)) {
    for (const label of processes) byProcess[label] = { fromUs, toUs };
  }
  await writeFile(join(dir, 'windows.json'), JSON.stringify(byProcess, null, 2));
}
