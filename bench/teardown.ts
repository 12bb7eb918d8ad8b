// Whatever the benchmark starts (broker, services) is stopped whatever happens: at the end, on an error,
// and on SIGINT/SIGTERM. Each thing registers its stop function; they run in reverse order, once.

const stops: { name: string; stop: () => Promise<unknown> }[] = [];
let tearingDown: Promise<void> | undefined;

/** Registers `stop` to run at teardown; stop functions must be safe to call twice. */
export function onTeardown(name: string, stop: () => Promise<unknown>): void {
  stops.push({ name, stop });
}

/** Runs every registered stop function, last registered first; failures are reported, not thrown. */
export function teardown(): Promise<void> {
  tearingDown ??= (async () => {
    for (let entry = stops.pop(); entry; entry = stops.pop()) {
      try {
        await entry.stop();
      } catch (error) {
        process.stderr.write(`bench: stopping ${entry.name} failed: ${(error as Error).message}\n`);
      }
    }
  })();
  return tearingDown;
}

/** On SIGINT or SIGTERM: tear down, then exit 130 (a second signal exits at once). */
export function teardownOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (tearingDown) process.exit(130);
      process.stderr.write(`\nbench: ${signal}, stopping everything it started\n`);
      void teardown().finally(() => process.exit(130));
    });
  }
}

/** Wraps `stop` so that it runs once; later calls get the first call's promise. */
export function once<T>(stop: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => (running ??= stop());
}
