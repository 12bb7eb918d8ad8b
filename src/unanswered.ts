// Calls the process stopped waiting for (their bound passed) that have not answered since. The Kafka client runs
// each blocking call on one of libuv's threads (src/threadpool.ts), and such a call keeps its thread until it
// answers: this count says how many of them a process has lost, for `/metrics` to show.
import { withTimeout } from './timeout.js';

let waiting = 0;

/** How many calls given up on have not answered yet. */
export function unansweredCalls(): number {
  return waiting;
}

/**
 * Counts `call` from now until it settles, if it ever does: its caller stopped waiting for it. Bounds usually come
 * through `answeredWithin`, which calls this when the bound passes.
 * @example gaveUpOn(consumer.disconnect());
 */
export function gaveUpOn(call: Promise<unknown>): void {
  waiting += 1;
  const answered = (): void => {
    waiting -= 1;
  };
  call.then(answered, answered);
}

/**
 * `call`, or what `onTimeout` returns (or throws) once `ms` pass first, the call then counted as given up on: the
 * bound for a client call that may never answer.
 * @example await answeredWithin(producer.connect(), 15000, () => { throw new Error('no connect in 15000 ms'); });
 */
export function answeredWithin<T, U = never>(call: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  return withTimeout(call, ms, () => {
    gaveUpOn(call);
    return onTimeout();
  });
}
