// Log lines to stdout, the lines of one turn of the event loop in one write. winston's Console transport writes
// each line by itself: to a file or a pipe (docker logs, make dev) that is a blocking write(2) per line, about a fifth
// of the notification actor's time at full speed, which logs a line per event (bench/README.md). Lines still go out
// in order and within the turn; at exit, whatever waits is written before the process ends (stdout writes to files,
// pipes and terminals are synchronous on Linux). A kill -9 loses at most the lines of the turn it interrupts.
import TransportStream from 'winston-transport';

// winston's formatted line (triple-beam's MESSAGE).
const formatted = Symbol.for('message');
// A turn that logs more than this writes what it has at once.
const maxWaitingChars = 64 * 1024;

let waiting = '';
let scheduled = false;
let exitHooked = false;

/** Writes the lines that wait for the end of the turn, now. */
export function flushLines(): void {
  scheduled = false;
  if (waiting === '') return;
  const text = waiting;
  waiting = '';
  process.stdout.write(text);
}

function addLine(line: string): void {
  waiting += `${line}\n`;
  if (waiting.length >= maxWaitingChars) flushLines();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flushLines);
  }
}

/**
 * A winston transport writing to stdout, one write per turn of the event loop for a long-running service.
 * @example winston.createLogger({ format, transports: [new LinesPerTurn()] })
 */
export class LinesPerTurn extends TransportStream {
  constructor() {
    super();
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', flushLines);
    }
  }

  override log(info: object, next: () => void): void {
    addLine(String((info as Record<symbol, unknown>)[formatted]));
    next();
  }
}
