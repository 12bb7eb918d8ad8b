// `make dlq [CODE=..]` lists the dead letters up to the current end of dead_letter; `make dlq-replay ALL=1 |
// CODE=.. | OFFSET=..` re-publishes the chosen ones to their original topic, once each.
import { loadConfigOrExit } from '../config.js';
import { createLogger } from '../logger.js';
import { dlqUsage, parseDlqArgs, UsageError, type DlqCommand } from './dlq-args.js';
import { listDeadLetters, replayDeadLetters } from './dlq-commands.js';
import { replayLines } from './dlq-table.js';

let command: DlqCommand;
try {
  command = parseDlqArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${dlqUsage}`);
  process.exit(2);
}
const config = loadConfigOrExit();
const log = createLogger({ ...config, logLevel: 'error' }, 'dlq');
// `make dlq | head` closes the pipe: that is a normal way to stop reading, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));

try {
  const lines =
    command.name === 'list'
      ? await listDeadLetters(config, log, { codes: command.codes, limit: command.limit })
      : replayLines(await replayDeadLetters(config, log, { selector: command.selector, dryRun: command.dryRun }));
  for (const line of lines) console.log(line);
} catch (error) {
  const what =
    command.name === 'list'
      ? 'cannot list dead letters'
      : 'replay failed (it is all or nothing: `make dlq` shows which are replayed)';
  console.error(`${what} (broker ${config.kafkaBrokers}, prefix "${config.topicPrefix}"): ${(error as Error).message}`);
  process.exit(1);
}
process.exit(0);
