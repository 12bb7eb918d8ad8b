// src/threadpool.ts, imported first by every entry point: a process whose threadpool threads are held by calls that
// never return (here: opens of a FIFO nobody writes, as librdkafka calls that never answer) still gets its other
// calls done; with libuv's default of 4 threads it would not.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

const threadpool = fileURLToPath(new URL('../src/threadpool.ts', import.meta.url));

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
