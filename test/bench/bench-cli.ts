// Runs one of the bench's command lines as a user would, with no broker reachable: a tool that tried to reach one
// would fail with exit 1, not the 2 of a refused option.
import { spawnSync } from 'node:child_process';

const root = new URL('../../', import.meta.url);

/** `node --import tsx bench/<script> args…`, its exit status and output. */
export function runBenchCli(
  script: string,
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, KAFKA_BROKERS: '127.0.0.1:9' };
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], {
    cwd: root,
    env,
    timeout: 30000,
  });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}
