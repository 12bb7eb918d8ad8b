// A clean, throwaway Kafka broker for one benchmark run, started the way deploy/test-integration.sh does:
// deploy/kafka/kafka.sh on its own ports and a temporary data dir, stopped and removed at teardown.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeGcLog, type BrokerGc } from './broker-gc.js';
import { once, onTeardown } from './teardown.js';

const kafkaScript = new URL('../deploy/kafka/kafka.sh', import.meta.url).pathname;

/**
 * The broker's extra JVM flags: none unless KAFKA_JVM_OPTS says, so the JVM's own JIT (tiered, up to C2), as on a
 * production broker. kafka.sh's C1 default suits short dev runs, and cost this benchmark's broker half as much CPU
 * again per order (bench/README.md).
 */
export const brokerJvmOpts = process.env.KAFKA_JVM_OPTS ?? '';

export interface ThrowawayBroker {
  /** The bootstrap address, for KAFKA_BROKERS. */
  brokers: string;
  /** The broker JVM's process id. */
  pid: number;
  /** Its GC pauses so far, from its GC log. */
  gc(): Promise<BrokerGc | undefined>;
  stop(): Promise<void>;
}

function kafkaSh(command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    // The script's own messages go to our stderr: stdout carries only the results table.
    const child = spawn(kafkaScript, [command], { env, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}`))));
  });
}

/**
 * Formats and starts a broker in a new temporary directory; resolves once it answers a metadata request.
 * Its log and GC log are copied to `keepLogsIn` when it stops.
 * @example const broker = await startThrowawayBroker(29092, 29093, '.run/bench/x'); ...; await broker.stop();
 */
export async function startThrowawayBroker(
  port: number,
  controllerPort: number,
  keepLogsIn: string,
): Promise<ThrowawayBroker> {
  const runDir = await mkdtemp(join(tmpdir(), 'webshop-bench-kafka-'));
  const env = {
    ...process.env,
    KAFKA_RUN_DIR: runDir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_JVM_OPTS: brokerJvmOpts,
    // GC pauses show up as stalls in every figure: log them.
    KAFKA_GC_LOG: join(runDir, 'gc.log'),
  };
  const stop = once(async () => {
    await kafkaSh('stop', env).catch(() => undefined);
    for (const file of ['kafka.log', 'gc.log']) {
      await copyFile(join(runDir, file), join(keepLogsIn, `broker-${file}`)).catch(() => undefined);
    }
    await rm(runDir, { recursive: true, force: true });
  });
  onTeardown('kafka broker', stop);
  await kafkaSh('start', env);
  const pid = Number((await readFile(join(runDir, 'kafka.pid'), 'utf8')).trim());
  const gc = async (): Promise<BrokerGc | undefined> =>
    summarizeGcLog(await readFile(env.KAFKA_GC_LOG, 'utf8').catch(() => ''));
  return { brokers: `127.0.0.1:${port}`, pid, gc, stop };
}
