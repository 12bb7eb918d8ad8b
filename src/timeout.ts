// Bounding a wait: a promise raced against a timer, for calls that may never answer (a broker that is away,
// a client stuck in librdkafka). The one place the shop races a promise against the clock.

/**
 * `promise`, or what `onTimeout` returns (or throws) once `ms` pass first; the timer is cleared either way.
 * @example await withTimeout(publish(event), 5000, () => { throw new Error('no acknowledgement within 5000 ms'); })
 * @example const disconnected = await withTimeout(disconnect(), 3000, () => false);
 */
export async function withTimeout<T, U = never>(promise: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
