// Keeping a map within a number of entries: a key set again moves to the end, and the entries at the front
// (set longest ago) go first. Used by the status table and the orders this instance produced.

/**
 * Sets `key` to `value` as the newest entry of `map`. Past `max` entries it drops the oldest ones, down to `max`
 * less a sixteenth of it, in one pass. A Map keeps the slots of its deleted entries until it grows, and a pass from
 * its front steps over them: dropping one entry per set took 6 µs a set in a full map of 10,000 entries and 32 µs
 * in one of 100,000, against 0.2-0.4 now (bench/bounded-cost.ts).
 * @example setBounded(recent, orderId, Date.now(), 10000);
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return;
  const keep = max - Math.floor(max / 16);
  for (const oldest of map.keys()) {
    if (map.size <= keep) break;
    map.delete(oldest);
  }
}
