// Unit tests of the bench/pipeline-window.ts command line: a bad option is refused with the usage and exit code 2,
// naming the option, before any broker is contacted or anything is built.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenchCli } from './bench-cli.js';

const pipelineWindow = (...args: string[]) => runBenchCli('pipeline-window.ts', ...args);

test('pipeline-window.ts refuses a missing or bad rate, length, warm-up or partition list with exit 2, naming it', () => {
  const cases: [string[], RegExp][] = [
    [[], /--rate must be a whole number above 0/],
    [['--rate', '0'], /--rate must be a whole number above 0/],
    [['--rate', '50', '--seconds', '1.5'], /--seconds must be a whole number above 0/],
    [['--rate', '50', '--warmup', 'x'], /--warmup must be a whole number of seconds/],
    [['--rate', '50', '--partitions', '6,x'], /--partitions must be whole numbers above 0, comma-separated/],
  ];
  for (const [args, message] of cases) {
    const { status, stdout, stderr } = pipelineWindow(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, message, args.join(' '));
    assert.match(stdout, /^Usage: node --import tsx bench\/pipeline-window.ts --rate N/);
  }
});

test('pipeline-window.ts refuses an option it does not know with the usage and exit 2, in one line', () => {
  const { status, stdout, stderr } = pipelineWindow('--rate', '50', '--warm-up', '5');
  assert.equal(status, 2);
  assert.match(stderr, /^pipeline-window: Unknown option '--warm-up'[^\n]*\n$/);
  assert.match(stdout, /^Usage: node --import tsx bench\/pipeline-window.ts --rate N/);
});

test('pipeline-window.ts --help prints the usage and exits 0', () => {
  const { status, stdout } = pipelineWindow('--help');
  assert.equal(status, 0);
  assert.match(stdout, /--partitions LIST/);
  assert.match(stdout, /--profile DIR/);
});
