// src/threadpool.ts, imported first by every entry point: a process whose threadpool threads are held by calls that
// never return (here: opens of a FIFO nobody writes, as librdkafka calls that never answer) still gets its other
// calls done; with libuv's default of 4 threads it would not. src/threadpool-watch.ts: a process whose threadpool
// is starved all the same ends itself with a line.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { watchThreadpool } from '../src/threadpool-watch.js';
import { advanceMockedTime } from './helpers.js';

const threadpool = fileURLToPath(new URL('../src/threadpool.ts', import.meta.url));
const watchModule = fileURLToPath(new URL('../src/threadpool-watch.ts', import.meta.url));

/** Runs a process that holds `held` threads for good, then asks for one more call: "answered" or "starved". */
function heldThenOneMore(t: TestContext, held: number, env: NodeJS.ProcessEnv, first?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'threadpool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // A static import, as the services' entry points have, run by Node itself (no loader thread of its own).
  const script = `
    ${first ? `import ${JSON.stringify(first)};` : ''}
    import { open, stat } from 'node:fs/promises';
    for (let i = 0; i < ${held}; i += 1) open(${JSON.stringify(fifo)}, 'r').catch(() => undefined);
    const answer = await Promise.race([
      stat(${JSON.stringify(dir)}).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('starved'), 2000)),
    ]);
    process.stdout.write(answer);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The held threads never end, so neither does the process: it is killed once it has answered.
  t.after(() => child.kill('SIGKILL'));
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out === 'answered' || out === 'starved') resolve(out);
    });
  });
}

test('with threadpool.ts imported first, calls still answer while twenty threads are held for good', async (t) => {
  const env = { UV_THREADPOOL_SIZE: undefined };
  assert.equal(await heldThenOneMore(t, 20, env, threadpool), 'answered');
});

test("without it, libuv's 4 threads held for good starve every later call", async (t) => {
  assert.equal(await heldThenOneMore(t, 4, { UV_THREADPOOL_SIZE: undefined }), 'starved');
});

test('an explicit UV_THREADPOOL_SIZE wins over threadpool.ts', async (t) => {
  assert.equal(await heldThenOneMore(t, 4, { UV_THREADPOOL_SIZE: '4' }, threadpool), 'starved');
});

test('the threadpool watch tells a probe left waiting past its bound once, and not one that answers', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'] });
  const starved: number[] = [];
  let answers = false;
  let release = (): void => undefined;
  const watch = watchThreadpool({
    everyMs: 100,
    starvedAfterMs: 1000,
    probe: () => (answers ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve))),
    onStarved: (waitedMs) => starved.push(waitedMs),
  });
  t.after(() => watch.stop());
  const advance = (ms: number): Promise<void> => advanceMockedTime(t, ms, 100);
  await advance(1000);
  assert.deepEqual(starved, [], 'the probe has waited 900 ms');
  await advance(100);
  assert.deepEqual(starved, [1000]);
  await advance(2000);
  assert.deepEqual(starved, [1000], 'once per starved spell');
  answers = true;
  release();
  await advance(3000);
  assert.deepEqual(starved, [1000], 'probes that answer are no spell');
});

test(
  'a service whose threadpool stays starved logs why and ends itself, for its supervisor to restart it',
  { timeout: 20000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'threadpool-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // libuv's 4 threads, all held as by Kafka calls that never answer; a logger that writes its lines as JSON.
    const script = `
    import { exitWhenThreadpoolStarved } from ${JSON.stringify(watchModule)};
    import { open } from 'node:fs/promises';
    const line = (level) => (message, fields) => process.stdout.write(JSON.stringify({ level, message, ...fields }) + '\\n');
    exitWhenThreadpoolStarved({ error: line('error') }, { everyMs: 50, starvedAfterMs: 500 });
    for (let i = 0; i < 4; i += 1) open(${JSON.stringify(fifo)}, 'r').catch(() => undefined);
    setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL', 'ended at once: an exit would wait on the held threads');
    const told = JSON.parse(out.trim()) as {
      level: string;
      message: string;
      waitedMs: number;
      unansweredCalls: number;
    };
    assert.equal(told.level, 'error');
    assert.equal(told.message, 'threadpool starved, exiting');
    assert.ok(told.waitedMs >= 500, `waited ${told.waitedMs} ms`);
  },
);
