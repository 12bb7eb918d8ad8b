// Unit tests of src/cli/dlq-args.ts: `list` and `replay` parse into commands, and a replay that does not
// name exactly one selector is a usage error, so nothing is ever replayed by default.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDlqArgs, UsageError } from '../../src/cli/dlq-args.js';

test('list takes optional codes and a limit', () => {
  assert.deepEqual(parseDlqArgs(['list']), { name: 'list', codes: [], limit: undefined });
  assert.deepEqual(parseDlqArgs(['list', '--code', 'INVALID_JSON', '--limit', '5']), {
    name: 'list',
    codes: ['INVALID_JSON'],
    limit: 5,
  });
});

test('replay takes --all, one or more codes, or one or more positions, and --dry-run', () => {
  assert.deepEqual(parseDlqArgs(['replay', '--all']), { name: 'replay', selector: { all: true }, dryRun: false });
  assert.deepEqual(parseDlqArgs(['replay', '--code', 'INVALID_JSON', '--code', 'SCHEMA_VIOLATION', '--dry-run']), {
    name: 'replay',
    selector: { codes: ['INVALID_JSON', 'SCHEMA_VIOLATION'] },
    dryRun: true,
  });
  assert.deepEqual(parseDlqArgs(['replay', '--offset', 'order_created/2/17', '--offset', 'dead_letter/0/3']), {
    name: 'replay',
    selector: { positions: ['order_created/2/17', 'dead_letter/0/3'] },
    dryRun: false,
  });
});

test('a replay without a selector is a usage error, not a replay of everything', () => {
  assert.throws(() => parseDlqArgs(['replay']), UsageError);
  assert.throws(() => parseDlqArgs(['replay', '--dry-run']), /exactly one of --all, --code, --offset/);
});

test('a replay with two kinds of selector is a usage error', () => {
  assert.throws(() => parseDlqArgs(['replay', '--all', '--code', 'INVALID_JSON']), /exactly one/);
  assert.throws(() => parseDlqArgs(['replay', '--code', 'INVALID_JSON', '--offset', 'order_created/0/1']), /exactly/);
});

test('an unknown code, a malformed position or a bad limit is a usage error naming it', () => {
  assert.throws(() => parseDlqArgs(['replay', '--code', 'INVALID_JSN']), /unknown error code INVALID_JSN/);
  assert.throws(() => parseDlqArgs(['replay', '--offset', 'order_created/2']), /TOPIC\/PARTITION\/OFFSET/);
  assert.throws(() => parseDlqArgs(['replay', '--offset', 'order_created/x/1']), /not order_created\/x\/1/);
  assert.throws(() => parseDlqArgs(['list', '--limit', '0']), /positive whole number, not 0/);
  assert.throws(() => parseDlqArgs(['list', '--limit', 'ten']), /positive whole number/);
});

test('an unknown command, option or extra argument is a usage error', () => {
  assert.throws(() => parseDlqArgs([]), /name a command/);
  assert.throws(() => parseDlqArgs(['purge']), /unknown command purge/);
  assert.throws(() => parseDlqArgs(['list', '--force']), UsageError);
  assert.throws(() => parseDlqArgs(['list', 'now']), /unexpected arguments: now/);
  assert.throws(() => parseDlqArgs(['list', '--all']), /list takes only --code and --limit/);
  assert.throws(() => parseDlqArgs(['replay', '--all', '--limit', '3']), /replay takes no --limit/);
});
