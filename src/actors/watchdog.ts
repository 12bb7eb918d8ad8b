// Guards against a consumer that silently stops delivering while it stays in its group
// (confluent-kafka-javascript#476): work waiting and no progress for too long -> the runtime replaces it.
import { answeredWithin } from '../unanswered.js';

/** A partition's committed offset (the next to read; negative when the group has none). */
export interface CommittedOffset {
  partition: number;
  offset: string;
}

/**
 * Where a consumer reads a partition next (`offset`), and the offset after the last message it read (`readTo`);
 * negative when unknown.
 */
export interface ConsumerPosition extends CommittedOffset {
  readTo: string;
}

/** Where a read_committed consumer's reading of a partition ends (`high`, the last stable offset) and starts. */
export interface ReadableEnd {
  partition: number;
  high: string;
  low: string;
}

export interface WatchdogOptions {
  stallTimeoutMs: number;
  /** The input topics. */
  topics: readonly string[];
  /** The input partitions this instance holds now (of every input topic). */
  holding(): ReadonlySet<number>;
  /** The group's committed offsets of `partitions` of input `topic`. */
  committed(topic: string, partitions: number[]): Promise<CommittedOffset[]>;
  /**
   * The consumer's positions in `partitions` of input `topic`, when it knows them: a read_committed consumer reads
   * past an aborted transaction, which is never committed over, so a partition ending in one is at rest.
   */
  positions?(topic: string, partitions: number[]): ConsumerPosition[];
  /** The readable ends of every partition of input `topic`. */
  readableEnds(topic: string): Promise<ReadableEnd[]>;
  /** False while the actor waits on purpose (partitions paused for a retry, a batch in flight, stopping). */
  watching(): boolean;
  onStall(idleMs: number): Promise<void>;
  /**
   * Told at most once per stall timeout while the actor is not watched (a batch in flight, a retry) and has made no
   * progress for longer than the stall timeout: what it waits on is then worth a line.
   */
  onBusy?(busyMs: number): void;
  /**
   * Told once when a check could not read the offsets (the broker away, a call unanswered), with why: until a check
   * reads them again, a stall would go unseen. Not told again for each check that fails after it.
   */
  onUnread?(error: unknown): void;
  /** Told when a check reads the offsets again after `onUnread`, with how long it could not. */
  onReadAgain?(unreadMs: number): void;
  /** How long `committed` and `readableEnds` are waited for (default 10 s): a check that never ended would leave
   * the actor unwatched for good, and librdkafka does not always keep its own timeouts (see transaction.ts). */
  callTimeoutMs?: number;
}

export interface Watchdog {
  /** The actor finished a batch, got partitions or a new consumer: the idle time starts again. */
  progressed(): void;
  start(): void;
  stop(): void;
}

/**
 * True when a held partition has messages past where the consumer stands in it (`consumed`: its committed offset,
 * or its position when further; see furthest). Work an open transaction holds back is not readable yet, so waiting
 * for it is not a stall; a transaction's commit marker takes one offset, so a partition at rest can be one past its
 * committed offset.
 * @example hasPendingWork(new Set([0]), [{ partition: 0, offset: '7' }], [{ partition: 0, high: '9', low: '0' }]) // true
 */
export function hasPendingWork(
  holding: ReadonlySet<number>,
  consumed: readonly CommittedOffset[],
  ends: readonly ReadableEnd[],
): boolean {
  return ends.some(({ partition, high, low }) => {
    if (!holding.has(partition)) return false;
    const at = Number(consumed.find((entry) => entry.partition === partition)?.offset ?? -1);
    return Number(high) - (at < 0 ? Number(low) : at) > 1;
  });
}

/**
 * Where the consumer stands in each partition: its committed offset, or its position where that is further and
 * nothing it read lies past the committed offset (what it passed was skipped: aborted transactions, markers). A
 * message read and not committed keeps the committed offset, so one the actor dropped is still waiting work.
 * @example furthest([{ partition: 0, offset: '3' }], [{ partition: 0, offset: '7', readTo: '3' }]) // offset '7'
 */
export function furthest(
  committed: readonly CommittedOffset[],
  positions: readonly ConsumerPosition[],
): CommittedOffset[] {
  const at = new Map(committed.map(({ partition, offset }) => [partition, offset]));
  for (const { partition, offset, readTo } of positions) {
    const from = Number(at.get(partition) ?? -1);
    if (Number(offset) > from && Number(readTo) <= Math.max(from, 0)) at.set(partition, offset);
  }
  return [...at].map(([partition, offset]) => ({ partition, offset }));
}

/**
 * Checks every quarter of the stall timeout (at most every 5 s) once started. A stall is work that has been
 * waiting, with no progress, for longer than `stallTimeoutMs`: a burst after a long quiet spell is not one.
 */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  let lastProgressAt = Date.now();
  let waitingSince: number | undefined;
  let checking = false;
  let busyToldAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const callTimeoutMs = options.callTimeoutMs ?? 10000;
  const answered = <T>(call: Promise<T>): Promise<T> =>
    answeredWithin(call, callTimeoutMs, () => {
      throw new Error(`not answered in ${callTimeoutMs} ms`);
    });
  const pendingIn = async (holding: ReadonlySet<number>): Promise<boolean> => {
    for (const topic of options.topics) {
      const committed = await answered(options.committed(topic, [...holding]));
      const ends = await answered(options.readableEnds(topic));
      const consumed = furthest(committed, options.positions?.(topic, [...holding]) ?? []);
      if (hasPendingWork(holding, consumed, ends)) return true;
    }
    return false;
  };
  // Since when no check could read the offsets; undefined while they are read.
  let unreadSince: number | undefined;
  // False also when it cannot tell (the broker is away, a call not answered): that is not the consumer's stall.
  const pendingWork = async (): Promise<boolean> => {
    const holding = new Set(options.holding());
    if (holding.size === 0) return false;
    let pending: boolean;
    try {
      pending = await pendingIn(holding);
    } catch (error) {
      if (unreadSince === undefined) {
        unreadSince = Date.now();
        options.onUnread?.(error);
      }
      return false;
    }
    if (unreadSince !== undefined) options.onReadAgain?.(Date.now() - unreadSince);
    unreadSince = undefined;
    return pending;
  };

  const check = async (): Promise<void> => {
    if (checking) return;
    if (!options.watching()) {
      const now = Date.now();
      if (now - lastProgressAt > options.stallTimeoutMs && now - busyToldAt >= options.stallTimeoutMs) {
        busyToldAt = now;
        options.onBusy?.(now - lastProgressAt);
      }
      return;
    }
    checking = true;
    try {
      const now = Date.now();
      if (!(await pendingWork())) {
        waitingSince = undefined;
        return;
      }
      waitingSince = Math.max(waitingSince ?? now, lastProgressAt);
      const idleMs = now - waitingSince;
      if (idleMs > options.stallTimeoutMs) {
        waitingSince = undefined;
        await options.onStall(idleMs);
      }
    } finally {
      checking = false;
    }
  };

  return {
    progressed: () => {
      lastProgressAt = Date.now();
    },
    start() {
      timer ??= setInterval(() => void check(), Math.min(5000, Math.ceil(options.stallTimeoutMs / 4)));
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
