// What keeping a full map within its bound costs per set: the order service's status table (STATUS_TABLE_MAX_ORDERS,
// 100,000) and its orders produced lately (10,000) set a key per record or order, and drop the oldest past the bound.
// `setBounded` drops a sixteenth at once; the reference drops one entry per set, as it did until 2026-12-05. A Map
// keeps its deleted entries' slots until it grows, and each pass from the front steps over them.
// Usage: node --import tsx bench/bounded-cost.ts [--sets N]
import { parseOptions } from '../src/cli/options.js';
import { setBounded } from '../src/order/bounded.js';

type SetRule = (map: Map<string, number>, key: string, value: number, max: number) => void;

/** The rule before: one pass from the front per set, dropping one entry. */
const dropOneAtATime: SetRule = (map, key, value, max) => {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
};

/**
 * µs per set into a map already full at `max`: a new key per set (the orders produced lately), or each key set three
 * times, a thousand sets apart (the status table: an order's created, payment and last records).
 */
function microsPerSet(rule: SetRule, max: number, sets: number, timesEach: 1 | 3): number {
  const map = new Map<string, number>();
  for (let index = 0; index < max; index += 1) rule(map, `warm-${index}`, index, max);
  const keyOf = (index: number): string => {
    if (timesEach === 1) return `key-${index}`;
    const lag = (index % 3) * 1000;
    return `key-${Math.max(0, Math.floor(index / 3) - lag)}`;
  };
  const started = process.hrtime.bigint();
  for (let index = 0; index < sets; index += 1) rule(map, keyOf(index), index, max);
  return Number(process.hrtime.bigint() - started) / sets / 1000;
}

const { values } = parseOptions('bounded-cost', { options: { sets: { type: 'string', default: '300000' } } });
const sets = Number(values.sets);
for (const [max, timesEach] of [
  [10_000, 1],
  [100_000, 1],
  [100_000, 3],
] as const) {
  for (let round = 1; round <= 2; round += 1) {
    const before = microsPerSet(dropOneAtATime, max, sets, timesEach);
    const now = microsPerSet(setBounded, max, sets, timesEach);
    console.log(
      `${max} entries, each key set ${timesEach === 1 ? 'once' : 'three times'}, round ${round}: ` +
        `${now.toFixed(2)} µs a set (one at a time: ${before.toFixed(2)})`,
    );
  }
}
