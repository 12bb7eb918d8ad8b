// Unit tests of the src/cli/dlq.ts entry point: a command line that names nothing to do is refused with the
// usage and exit code 2 before any broker is contacted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);

function dlq(...args: string[]): { status: number | null; stderr: string } {
  // No broker there: a CLI that tried to reach one would exit 1 (cannot list or replay), not 2.
  const env = { ...process.env, KAFKA_BROKERS: '127.0.0.1:9' };
  const options = { cwd: root, env, timeout: 30000 };
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dlq.ts', ...args], options);
  return { status: run.status, stderr: run.stderr.toString() };
}

test('dlq.ts replay without a selector exits 2 with the usage, replaying nothing', () => {
  const { status, stderr } = dlq('replay');
  assert.equal(status, 2);
  assert.match(stderr, /^replay needs exactly one of --all, --code, --offset\nusage:/);
});

test('dlq.ts with an unknown error code exits 2 naming it', () => {
  const { status, stderr } = dlq('list', '--code', 'INVALID_JSN');
  assert.equal(status, 2);
  assert.match(stderr, /unknown error code INVALID_JSN \(known: /);
});
