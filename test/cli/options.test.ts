// Unit tests of the command lines' options (src/cli/options.ts): an option a tool does not know, or one without its
// value, is told in one line naming it, with exit code 2 and no stack trace, before any broker or service is asked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);

function run(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // Nothing listens there: a tool that went on to reach the broker or the order service would fail otherwise.
  const env = { ...process.env, KAFKA_BROKERS: '127.0.0.1:9', ORDER_PORT: '9' };
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env, timeout: 30000 });
  return { status: child.status, stdout: child.stdout.toString(), stderr: child.stderr.toString() };
}

test('a command line with an option it does not know, or one without its value, exits 2 naming it in one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['src/cli/order.ts', ['--amout', '350'], /^order: Unknown option '--amout'/],
    ['src/cli/status.ts', ['--order-id'], /^status: Option '--order-id <value>' argument missing/],
    ['src/cli/tail.ts', ['--topic', '-x'], /^tail: Option '--topic' argument is ambiguous/],
    ['src/cli/metrics.ts', ['--services', 'payment'], /^metrics: Unknown option '--services'/],
  ];
  for (const [script, args, message] of cases) {
    const { status, stderr } = run(script, ...args);
    assert.equal(status, 2, `${script} ${args.join(' ')}`);
    assert.match(stderr, message, `${script} ${args.join(' ')}`);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  }
});
