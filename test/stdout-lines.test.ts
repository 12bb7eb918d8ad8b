// src/stdout-lines.ts through createLogger's `linesPerTurn`, in child processes as the services run: the lines of
// one turn go out in one write and in order, and the lines that wait are written however the process ends
// (process.exit, an uncaught exception, exitNow's SIGKILL).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const loggerModule = fileURLToPath(new URL('../src/logger.ts', import.meta.url));
const shutdownModule = fileURLToPath(new URL('../src/shutdown.ts', import.meta.url));

interface Ended {
  lines: { message: string; service: string }[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `body` after a JSON logger `log` of service 'payment' with lines per turn is made; what the process wrote. */
async function runWithLogger(body: string): Promise<Ended> {
  const script = `
    import { createLogger } from ${JSON.stringify(loggerModule)};
    import { exitNow } from ${JSON.stringify(shutdownModule)};
    let writes = 0;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (...args) => { writes += 1; return write(...args); };
    const log = createLogger({ logLevel: 'info', logFormat: 'json' }, 'payment', { linesPerTurn: true });
    ${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  const lines = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Ended['lines'][number]);
  return { lines, stderr, code, signal };
}

test("a turn's lines go out in one write, in order, and the next turn's in the next", async () => {
  const ended = await runWithLogger(`
    log.info('first'); log.warn('second'); log.info('third');
    setTimeout(() => {
      log.info('fourth');
      setTimeout(() => process.stderr.write('writes=' + writes), 20);
    }, 20);`);
  assert.deepEqual(
    ended.lines.map(({ message }) => message),
    ['first', 'second', 'third', 'fourth'],
  );
  assert.ok(ended.lines.every(({ service }) => service === 'payment'));
  assert.equal(ended.stderr, 'writes=2');
  assert.equal(ended.code, 0);
});

test('the lines of the turn that calls process.exit are written before the process ends', async () => {
  const ended = await runWithLogger(`log.info('stopping'); log.info('stopped'); process.exit(3);`);
  assert.deepEqual(
    ended.lines.map(({ message }) => message),
    ['stopping', 'stopped'],
  );
  assert.equal(ended.code, 3);
});

test('the lines before an uncaught exception are written, and the exception is reported', async () => {
  const ended = await runWithLogger(`log.error('about to fail'); throw new Error('boom');`);
  assert.deepEqual(
    ended.lines.map(({ message }) => message),
    ['about to fail'],
  );
  assert.match(ended.stderr, /Error: boom/);
  assert.equal(ended.code, 1);
});

test("exitNow's line is written before the process kills itself", async () => {
  const ended = await runWithLogger(`
    log.info('handled');
    exitNow(log, 'producer fenced by another instance, exiting', { error: 'fenced' });
    setInterval(() => undefined, 1000);`);
  assert.deepEqual(
    ended.lines.map(({ message }) => message),
    ['handled', 'producer fenced by another instance, exiting'],
  );
  assert.equal(ended.signal, 'SIGKILL');
});
