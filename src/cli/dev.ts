// `make dev` (through deploy/dev.sh): the order service and N instances of each actor, each supervised like a
// compose service with `restart: unless-stopped`, output prefixed on the terminal and appended to
// <log-dir>/<name>.log. Ctrl-C (SIGINT, SIGTERM, SIGHUP) stops them all gracefully: SIGTERM to each, then wait.
// The services run compiled (dist/, built by dev.sh), as in the images: a restart after a crash starts with about
// half the CPU time it took under `node --import tsx` (docs/guarantees.md, recovery).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import winston from 'winston';
import { loadConfigOrExit } from '../config.js';
import { createLogger } from '../logger.js';
import { devProcesses, type ActorName, type DevProcess } from './dev-processes.js';
import { parseOptions } from './options.js';
import { supervise } from './supervised-process.js';

const { values } = parseOptions('dev', {
  options: {
    'log-dir': { type: 'string', default: '.run/logs' },
    payment: { type: 'string', default: '1' },
    shipping: { type: 'string', default: '1' },
    notification: { type: 'string', default: '1' },
    status: { type: 'string', default: '1' },
  },
});
const instances = (actor: ActorName): number => {
  const count = Number(values[actor]);
  if (Number.isInteger(count) && count >= 0 && count <= 20) return count;
  console.error(`${actor.toUpperCase()}_INSTANCES must be a whole number from 0 to 20, not ${values[actor]}`);
  process.exit(2);
};

const config = loadConfigOrExit();
const log = createLogger(config, 'dev');
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const logDir = values['log-dir'];
const processes = devProcesses(config, {
  payment: instances('payment'),
  shipping: instances('shipping'),
  notification: instances('notification'),
  status: instances('status'),
});

/** A log file that every run of a process appends to; written synchronously, so nothing is lost at exit. */
function appendOnlyFile(path: string): Writable {
  const fd = openSync(path, 'a');
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        writeSync(fd, chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    destroy(error, done) {
      closeSync(fd);
      done(error);
    },
  });
}

const colors = {
  order: 'blue',
  payment: 'magenta',
  shipping: 'green',
  notification: 'yellow',
  status: 'cyan',
} as const;
const width = Math.max(...processes.map(({ name }) => name.length));
const prefix = ({ name, service }: DevProcess): string => {
  const text = `${name.padEnd(width)} |`;
  return process.stdout.hasColors?.() ? styleText(colors[service], text) : text;
};

mkdirSync(logDir, { recursive: true });
log.info('starting', { processes: processes.map(({ name, port }) => `${name}:${port}`), logDir });
const supervised = processes.map((spec) => {
  const file = appendOnlyFile(join(logDir, `${spec.name}.log`));
  // The supervisor's lines about a process go to the terminal and into that process's log file.
  const processLog = createLogger(config, 'dev');
  processLog.add(new winston.transports.Stream({ stream: file }));
  const head = prefix(spec);
  return supervise(
    {
      name: spec.name,
      command: process.execPath,
      args: [spec.main],
      env: { ...process.env, ...spec.env },
      cwd: repoRoot,
    },
    {
      log: (level, message, meta) => processLog.log(level, message, meta),
      onLine: (line) => {
        process.stdout.write(`${head} ${line}\n`);
        file.write(`${line}\n`);
      },
    },
  );
});

// The services bound their own shutdown (SHUTDOWN_TIMEOUT_MS, then exit 1); past that and a margin, a process
// that still has not exited cannot, and is killed. Signals while stopping (a second Ctrl-C) only say so.
const graceMs = config.shutdownTimeoutMs + 5000;
const running = (): string[] => supervised.filter((child) => child.pid() !== undefined).map(({ name }) => name);
let stopping = false;
function stopAll(signal: NodeJS.Signals): void {
  if (stopping) {
    log.info('already stopping, waiting for the processes to exit', { signal, running: running() });
    return;
  }
  stopping = true;
  log.info('stopping all processes', { signal, graceMs });
  const overrun = setTimeout(() => {
    log.error('processes still running after the grace period, killing them', { graceMs, running: running() });
    for (const child of supervised) child.kill();
  }, graceMs);
  void Promise.all(supervised.map((child) => child.stop())).then((exits) => {
    clearTimeout(overrun);
    const failed = supervised.filter((_, index) => exits[index]?.code !== 0).map(({ name }) => name);
    log.log(failed.length > 0 ? 'warn' : 'info', 'all processes stopped', { failed });
    process.exit(failed.length > 0 ? 1 : 0);
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stopAll);
