// What a ledger remembers of the orders its actor has done: every order for good, or, given a window, each order for
// at least the window and at most twice as long. With a window the orders live in two generations of the window's
// length, by the time of their output: when a new generation begins, the one before the last is forgotten whole.

export interface OrderMemory<V> {
  has(orderId: string): boolean;
  get(orderId: string): V | undefined;
  /** Remembers an order with its output's `time` (ms); an output from before the last generation is not kept. */
  set(orderId: string, value: V, time: number): void;
  /** Forgets the generation before the last once a new one has begun at `now` (ms). */
  expire(now: number): void;
}

/**
 * Where a ledger with `windowMs` starts reading its outputs at `now`: the last generation's beginning; undefined
 * without a window (from the beginning).
 */
export function rememberedSince(windowMs: number, now: number): number | undefined {
  return windowMs > 0 ? (Math.floor(now / windowMs) - 1) * windowMs : undefined;
}

/**
 * Every order for good when `windowMs` is 0, else each for at least `windowMs`, counted from `now` on.
 * @example const orders = orderMemory<undefined>(3_600_000, Date.now()); orders.set('o-1', undefined, Date.now());
 */
export function orderMemory<V>(windowMs: number, now: number): OrderMemory<V> {
  if (windowMs <= 0) {
    const orders = new Map<string, V>();
    return {
      has: (orderId) => orders.has(orderId),
      get: (orderId) => orders.get(orderId),
      set: (orderId, value) => void orders.set(orderId, value),
      expire: () => undefined,
    };
  }
  const generationOf = (time: number): number => Math.floor(time / windowMs);
  let current = generationOf(now);
  let young = new Map<string, V>();
  let old = new Map<string, V>();
  return {
    has: (orderId) => young.has(orderId) || old.has(orderId),
    get: (orderId) => (young.has(orderId) ? young.get(orderId) : old.get(orderId)),
    set(orderId, value, time) {
      const generation = generationOf(time);
      if (generation < current - 1) return;
      // An order already in the young generation stays there, whatever its new output's time.
      if (generation >= current || young.has(orderId)) {
        young.set(orderId, value);
        old.delete(orderId);
      } else {
        old.set(orderId, value);
      }
    },
    expire(at) {
      const generation = generationOf(at);
      if (generation <= current) return;
      old = generation === current + 1 ? young : new Map();
      young = new Map();
      current = generation;
    },
  };
}
