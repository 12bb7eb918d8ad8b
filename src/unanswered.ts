// Calls the process stopped waiting for (their bound passed) that have not answered since. The Kafka client runs
// each blocking call on one of libuv's threads (src/threadpool.ts), and such a call keeps its thread until it
// answers: this count says how many of them a process has lost, for `/metrics` to show.
let waiting = 0;

/** How many calls given up on have not answered yet. */
export function unansweredCalls(): number {
  return waiting;
}

/**
 * Counts `call` from now until it settles, if it ever does: its caller stopped waiting for it.
 * @example await withTimeout(call, 10000, () => { gaveUpOn(call); throw new Error('not answered in 10000 ms'); });
 */
export function gaveUpOn(call: Promise<unknown>): void {
  waiting += 1;
  const answered = (): void => {
    waiting -= 1;
  };
  call.then(answered, answered);
}
