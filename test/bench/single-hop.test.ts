// Unit tests of the bench/single-hop.ts command line: a bad option is refused with the usage and exit code 2,
// naming the option, before any broker is contacted, any topic created or anything built.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBenchCli } from './bench-cli.js';

const singleHop = (...args: string[]) => runBenchCli('single-hop.ts', ...args);

test('single-hop.ts refuses an unknown processor, a bad rate, length, warm-up or broker pid with exit 2, naming it', () => {
  const cases: [string[], RegExp][] = [
    [['--actor', 'streams'], /--actor must be payment, shipping, notification, peer, not streams/],
    [['--rate', '0'], /--rate must be a whole number above 0/],
    [['--rate', '2.5'], /--rate must be a whole number above 0/],
    [['--seconds', 'x'], /--seconds must be a whole number above 0/],
    [['--warmup', '1.5'], /--warmup must be a whole number of seconds/],
    [['--broker-pid', 'kafka'], /--broker-pid must be a process id/],
  ];
  for (const [args, message] of cases) {
    const { status, stdout, stderr } = singleHop(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, message, args.join(' '));
    assert.match(stdout, /^Usage: node --import tsx bench\/single-hop.ts/);
  }
});

test('single-hop.ts --help prints the usage, the peer and the broker pid among its options, and exits 0', () => {
  const { status, stdout } = singleHop('--help');
  assert.equal(status, 0);
  assert.match(stdout, /peer: the Kafka Streams peer of payment/);
  assert.match(stdout, /--broker-pid N/);
  assert.match(stdout, /PEER_CONFIG=commit.interval.ms=10/);
});
