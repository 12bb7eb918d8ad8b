// How many dead letters the order service has read from the dead_letter topic (read_committed, from its
// beginning, alongside order_status), with change notifications for the live page's feed.
import { EventEmitter } from 'node:events';

export interface DeadLetterCount {
  count(): number;
  /**
   * Counts the dead letter at `partition`/`offset` unless one at or past it in that partition was counted
   * (a feed that reads the topic again after a failure); the listeners are told a new count.
   */
  add(partition: number, offset: string): void;
  /** Calls `listener` with each new count from now on; returns the function that stops it. */
  onChange(listener: (count: number) => void): () => void;
}

/**
 * A count at 0.
 * @example const letters = createDeadLetterCount(); letters.onChange((count) => feed.send(count)); letters.add(0, '41');
 */
export function createDeadLetterCount(): DeadLetterCount {
  const changes = new EventEmitter();
  // One listener per open live page: no limit is a leak warning here.
  changes.setMaxListeners(0);
  const lastOffsets = new Map<number, bigint>();
  let count = 0;
  return {
    count: () => count,
    add(partition, offset) {
      const at = BigInt(offset);
      if (at <= (lastOffsets.get(partition) ?? -1n)) return;
      lastOffsets.set(partition, at);
      count += 1;
      changes.emit('change', count);
    },
    onChange(listener) {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
  };
}
