// Keeping a map within a number of entries: a key set again moves to the end, and the entries at the front
// (set longest ago) go first. Used by the status table and the orders this instance produced.

/**
 * Sets `key` to `value` as the newest entry of `map`, then drops the oldest entries beyond `max`.
 * @example setBounded(recent, orderId, Date.now(), 10000);
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
