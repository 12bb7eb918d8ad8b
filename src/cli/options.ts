// The command lines' options: node's parseArgs, with an option it does not know or a value it cannot take told in one
// line and exit code 2, instead of a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What parseArgs answers for `T`. */
export type ParsedOptions<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

const isParseError = (error: unknown): error is Error =>
  error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');

/**
 * parseArgs(config) for the command line `name`. A wrong option prints `name: <why>` on stderr (and `usage`, when
 * given, on stdout, as the bench's command lines print it) and exits 2.
 * @example const { values } = parseOptions('order', { options: { amount: { type: 'string' } } });
 */
export function parseOptions<T extends ParseArgsConfig>(name: string, config: T, usage?: string): ParsedOptions<T> {
  try {
    return parseArgs(config);
  } catch (error) {
    if (!isParseError(error)) throw error;
    if (usage !== undefined) process.stdout.write(`${usage}\n`);
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
}
