// `make dev`'s runner (deploy/dev.sh) against the real broker: an actor killed with SIGKILL is restarted on its
// own port and ready again, the runner says so, its log file keeps both runs, and a Ctrl-C (twice) stops everything.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { configEnv } from '../../src/config.js';
import { waitFor } from '../helpers.js';
import { createShop } from './shop.js';

const devScript = fileURLToPath(new URL('../../deploy/dev.sh', import.meta.url));
// Health and HTTP ports of this test only; payment-2 is on PAYMENT_PORT + 10.
const ports = { ORDER_PORT: 6101, PAYMENT_PORT: 6102, SHIPPING_PORT: 6103, NOTIFICATION_PORT: 6104, STATUS_PORT: 6105 };
const readyPorts = {
  order: 6101,
  payment: 6102,
  'payment-2': 6112,
  shipping: 6103,
  notification: 6104,
  status: 6105,
};

interface DevLine {
  service: string;
  message: string;
  process?: string;
  pid?: number;
  code?: number | null;
  signal?: string | null;
  delayMs?: number;
}

/** The runner's own lines (JSON, service `dev`), as opposed to the prefixed lines of its processes. */
function devLines(lines: string[]): DevLine[] {
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DevLine)
    .filter((line) => line.service === 'dev');
}

const readyz = (port: number): Promise<number> =>
  fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.arrayBuffer().then(() => response.status),
    () => 0,
  );

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test(
  'make dev restarts an actor killed with SIGKILL on its own port, logs why and when, and two Ctrl-C then stop all with exit 0',
  { timeout: 300000 },
  async (t) => {
    const shop = await createShop(t);
    const logDir = mkdtempSync(join(tmpdir(), 'webshop-dev-'));
    // The test's environment minus every shop setting, so a developer's settings do not leak into the runner.
    const shopVariables = new Set(Object.values(configEnv));
    const inherited = Object.entries(process.env).filter(([name]) => !shopVariables.has(name));
    const runner = spawn(devScript, ['--log-dir', logDir], {
      env: {
        ...Object.fromEntries(inherited),
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        KAFKA_BROKERS: shop.config.kafkaBrokers,
        TOPIC_PREFIX: shop.config.topicPrefix,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        PAYMENT_INSTANCES: '2',
        SHIPPING_INSTANCES: '1',
        NOTIFICATION_INSTANCES: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal runs it: Ctrl-C is a SIGINT to every process of the group.
      detached: true,
    });
    const ctrlC = (): boolean => process.kill(-runner.pid!, 'SIGINT');
    const lines: string[] = [];
    let output = '';
    for (const stream of [runner.stdout, runner.stderr]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const complete = output.split('\n');
        output = complete.pop() ?? '';
        lines.push(...complete);
      });
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      runner.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const started = (): DevLine[] => devLines(lines).filter(({ message }) => message === 'process started');
    t.after(async () => {
      if (runner.exitCode === null && runner.signalCode === null) {
        process.kill(-runner.pid!, 'SIGKILL');
        await exited;
      }
      rmSync(logDir, { recursive: true, force: true });
    });
    const tail = (): string => lines.slice(-30).join('\n');

    await waitFor(
      'every process of make dev to be ready',
      async () => (await Promise.all(Object.values(readyPorts).map(readyz))).every((status) => status === 200),
      150000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${tail()}`));

    const firstPid = started().find((line) => line.process === 'payment-2')?.pid;
    assert.ok(firstPid, `no start of payment-2 logged:\n${tail()}`);
    process.kill(firstPid, 'SIGKILL');

    const restartOf = (): DevLine | undefined =>
      devLines(lines).find((line) => line.message === 'process exited, restarting' && line.process === 'payment-2');
    await waitFor('the runner to log the restart of payment-2', () => restartOf() !== undefined, 30000);
    assert.deepEqual(
      [restartOf()?.code, restartOf()?.signal, restartOf()?.delayMs],
      [null, 'SIGKILL', 1000],
      'the restart line names the signal and the delay',
    );
    const secondPid = (): number | undefined => started().filter((line) => line.process === 'payment-2')[1]?.pid;
    await waitFor(
      'payment-2 to answer /readyz on its own port again',
      async () => secondPid() !== undefined && (await readyz(readyPorts['payment-2'])) === 200,
      120000,
    ).catch((error: Error) => assert.fail(`${error.message}\n${tail()}`));
    assert.notEqual(secondPid(), firstPid);
    assert.equal(started().length, 7, 'only payment-2 was started again');

    const pids = [...new Set(started().map(({ pid }) => pid!))].filter((pid) => pid !== firstPid);
    ctrlC();
    await waitFor('the runner to start stopping', () =>
      devLines(lines).some(({ message }) => message === 'stopping all processes'),
    );
    ctrlC();
    const { code, signal } = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`make dev did not exit within 30 s of SIGINT:\n${tail()}`)), 30000).unref(),
      ),
    ]);
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, tail());
    assert.ok(
      devLines(lines).some(({ message }) => message === 'already stopping, waiting for the processes to exit'),
      'the second Ctrl-C is noted, not acted on',
    );
    assert.deepEqual(
      devLines(lines)
        .filter(({ message }) => message === 'process exited')
        .map((line) => [line.process, line.code])
        .sort(),
      Object.keys(readyPorts)
        .map((name) => [name, 0])
        .sort(),
      'every process ended its own graceful shutdown with exit 0',
    );
    assert.deepEqual(pids.filter(alive), [], 'no process of make dev is left running');

    // payment-2's log file holds both runs, with the runner's restart line between them.
    const logLines = readFileSync(join(logDir, 'payment-2.log'), 'utf8').trim().split('\n');
    const restartAt = logLines.findIndex((line) => line.includes('"process exited, restarting"'));
    const runnerLine = (line: string): boolean => line.includes('"service":"dev"');
    assert.ok(restartAt > 0, 'the restart is logged in the process log file');
    assert.ok(
      logLines.slice(0, restartAt).some((line) => !runnerLine(line)),
      'the first run is kept',
    );
    assert.ok(
      logLines.slice(restartAt + 1).some((line) => !runnerLine(line)),
      'the second run is appended',
    );
  },
);
