// The progress line of a long step, on stderr (stdout carries only the results table): redrawn every
// second on a terminal, one line every 5 s otherwise (CI logs).

/**
 * Shows `describe()` under `label` until the returned function is called.
 * @example const stop = showProgress('POST /order', () => `${sent} sent`); ...; stop();
 */
export function showProgress(label: string, describe: () => string): () => void {
  const started = performance.now();
  const terminal = process.stderr.isTTY;
  const line = (): string => `${label}: ${((performance.now() - started) / 1000).toFixed(0)} s, ${describe()}`;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (terminal) process.stderr.write(`\r\x1b[K${line()}`);
    else if (ticks % 5 === 0) process.stderr.write(`${line()}\n`);
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (terminal) process.stderr.write('\r\x1b[K');
  };
}

/** One line on stderr: what the harness is doing now. */
export function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
