// The command line of src/cli/dlq.ts: `list` or `replay`, with a replay that must name what it replays,
// so that nothing is ever replayed by default.
import { parseArgs } from 'node:util';
import { errorCodes } from '../errors.js';
import type { Selector } from './dlq-letters.js';

export type DlqCommand =
  | { name: 'list'; codes: string[]; limit: number | undefined }
  | { name: 'replay'; selector: Selector; dryRun: boolean };

export const dlqUsage = `usage:
  dlq.ts list [--code CODE ...] [--limit N]
  dlq.ts replay (--all | --code CODE ... | --offset TOPIC/PARTITION/OFFSET ...) [--dry-run]
--offset names the message a dead letter came from (as ORIGIN shows it), or a dead letter itself
(dead_letter/PARTITION/OFFSET, as DEAD LETTER shows it); --code takes the codes CODE shows.`;

/** A command line that cannot be run: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const positionPattern = /^[a-zA-Z0-9._-]+\/\d+\/\d+$/;

/**
 * The command that `argv` (without node and the script) asks for. Throws a UsageError when it asks for
 * nothing runnable: an unknown option, a bad code or position, or a replay without exactly one selector.
 * @example parseDlqArgs(['replay', '--code', 'INVALID_JSON']) // { name: 'replay', selector: { codes: [...] }, ... }
 */
export function parseDlqArgs(argv: string[]): DlqCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        all: { type: 'boolean', default: false },
        code: { type: 'string', multiple: true, default: [] },
        offset: { type: 'string', multiple: true, default: [] },
        limit: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const unknown = values.code.filter((code) => !(errorCodes as readonly string[]).includes(code));
  if (unknown.length > 0)
    throw new UsageError(`unknown error code ${unknown.join(', ')} (known: ${errorCodes.join(', ')})`);
  const badPositions = values.offset.filter((position) => !positionPattern.test(position));
  if (badPositions.length > 0) throw new UsageError(`--offset wants TOPIC/PARTITION/OFFSET, not ${badPositions[0]}`);

  if (name === 'list') {
    if (values.all || values.offset.length > 0 || values['dry-run']) {
      throw new UsageError('list takes only --code and --limit');
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
      throw new UsageError(`--limit wants a positive whole number, not ${values.limit}`);
    }
    return { name, codes: values.code, limit };
  }
  if (name === 'replay') {
    if (values.limit !== undefined) throw new UsageError('replay takes no --limit');
    const chosen = [values.all, values.code.length > 0, values.offset.length > 0].filter(Boolean).length;
    if (chosen !== 1) throw new UsageError('replay needs exactly one of --all, --code, --offset');
    const selector: Selector = values.all
      ? { all: true }
      : values.code.length > 0
        ? { codes: values.code }
        : { positions: values.offset };
    return { name, selector, dryRun: values['dry-run'] };
  }
  throw new UsageError(name === undefined ? 'name a command: list or replay' : `unknown command ${name}`);
}
