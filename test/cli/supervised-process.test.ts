// The supervisor of `make dev`'s processes, with small node scripts for processes: restarts with a growing
// delay after any exit it was not asked for, the delay's reset and cap, output lines, and a clean stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultRestartPolicy,
  restartDelayMs,
  supervise,
  type RestartPolicy,
  type SupervisedProcess,
  type SupervisorLog,
} from '../../src/cli/supervised-process.js';
import { waitFor } from '../helpers.js';

interface Entry {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

/** A supervisor's log kept in memory. */
function recordingLog(): { log: SupervisorLog; entries: Entry[]; said(message: string): Entry[] } {
  const entries: Entry[] = [];
  return {
    log: (level, message, meta) => entries.push({ level, message, meta }),
    entries,
    said: (message) => entries.filter((entry) => entry.message === message),
  };
}

const quick: RestartPolicy = { firstDelayMs: 20, maxDelayMs: 1000, stableAfterMs: 60000 };
// A process that runs until SIGTERM and then exits 0, as the shop's services do.
const service = "process.on('SIGTERM', () => process.exit(0)); console.log('up'); setInterval(() => {}, 1000);";

function run(script: string, policy: RestartPolicy, lines: string[] = []) {
  const recording = recordingLog();
  const child = supervise(
    { name: 'payment-2', command: process.execPath, args: ['-e', script], env: process.env },
    { log: recording.log, onLine: (line) => lines.push(line), policy },
  );
  return { child, ...recording };
}

function stopAfter(t: { after(fn: () => Promise<unknown>): void }, child: SupervisedProcess): void {
  t.after(() => child.stop());
}

test('the restart delay starts at 1 s, doubles with each quick exit and stops growing at 30 s', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((restart) => restartDelayMs(defaultRestartPolicy, restart));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('a process that keeps exiting non-zero is restarted each time, with a doubling delay and its exit code logged', async (t) => {
  const { child, said } = run('process.exit(3)', quick);
  stopAfter(t, child);
  await waitFor('three restarts', () => said('process exited, restarting').length >= 3);
  const restarts = said('process exited, restarting').slice(0, 3);
  assert.deepEqual(
    restarts.map(({ level, meta }) => [level, meta.process, meta.code, meta.signal, meta.delayMs]),
    [
      ['warn', 'payment-2', 3, null, 20],
      ['warn', 'payment-2', 3, null, 40],
      ['warn', 'payment-2', 3, null, 80],
    ],
  );
});

test('a run that lasted past stableAfterMs makes the next restart wait only the first delay again', async (t) => {
  const { child, said } = run('process.exit(3)', { ...quick, stableAfterMs: 0 });
  stopAfter(t, child);
  await waitFor('three restarts', () => said('process exited, restarting').length >= 3);
  assert.deepEqual(
    said('process exited, restarting')
      .slice(0, 3)
      .map(({ meta }) => meta.delayMs),
    [20, 20, 20],
  );
});

test('a process killed with SIGKILL is started again under a new pid, and the signal is logged', async (t) => {
  const lines: string[] = [];
  const { child, said } = run(service, quick, lines);
  stopAfter(t, child);
  await waitFor('the first run to print', () => lines.length === 1);
  const firstPid = child.pid();
  assert.ok(firstPid);
  process.kill(firstPid, 'SIGKILL');
  await waitFor('the second run to print', () => lines.length === 2);
  assert.deepEqual(lines, ['up', 'up']);
  const [restart] = said('process exited, restarting');
  assert.deepEqual([restart?.meta.code, restart?.meta.signal, restart?.meta.delayMs], [null, 'SIGKILL', 20]);
  assert.notEqual(child.pid(), firstPid);
  assert.deepEqual(
    said('process started').map(({ meta }) => meta.pid),
    [firstPid, child.pid()],
  );
});

test('a process that exits 0 on its own is restarted too, as with restart: unless-stopped', async (t) => {
  const { child, said } = run('process.exit(0)', quick);
  stopAfter(t, child);
  await waitFor('a restart', () => said('process started').length >= 2);
  assert.equal(said('process exited, restarting')[0]?.meta.code, 0);
});

test('stop() sends SIGTERM, resolves with the exit code and starts nothing again', async () => {
  const lines: string[] = [];
  const { child, said } = run(service, quick, lines);
  await waitFor('the process to print', () => lines.length === 1);
  assert.deepEqual(await child.stop(), { code: 0, signal: null });
  assert.deepEqual(await child.stop(), { code: 0, signal: null }, 'a second stop() answers the same');
  assert.equal(child.pid(), undefined);
  assert.equal(said('process exited, restarting').length, 0);
  assert.deepEqual(
    said('process exited').map(({ level, meta }) => [level, meta.code]),
    [['info', 0]],
  );
});

test('stop() while a restart is pending cancels it and resolves with the last exit at once', async () => {
  const { child, said } = run('process.exit(3)', { ...quick, firstDelayMs: 60000 });
  await waitFor('the first exit', () => said('process exited, restarting').length === 1);
  assert.deepEqual(await child.stop(), { code: 3, signal: null });
  assert.equal(said('process started').length, 1);
});

test('a process that ignores SIGTERM is ended by kill() after stop()', async () => {
  const lines: string[] = [];
  const { child } = run(
    "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);",
    quick,
    lines,
  );
  await waitFor('the process to print', () => lines.length === 1);
  const stopped = child.stop();
  child.kill();
  assert.deepEqual(await stopped, { code: null, signal: 'SIGKILL' });
});

test('lines from stdout and stderr both reach onLine, the last one without a newline too', async () => {
  const lines: string[] = [];
  const { child } = run(
    "console.log('to stdout'); console.error('to stderr'); process.stdout.write('no newline'); setInterval(() => {}, 1000);",
    quick,
    lines,
  );
  await waitFor('two lines', () => lines.length === 2);
  await child.stop();
  assert.deepEqual([...lines].sort(), ['no newline', 'to stderr', 'to stdout']);
});
