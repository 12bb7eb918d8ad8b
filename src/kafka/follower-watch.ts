// A follower's stuck check (follower.ts): behind the topics' ends at two checks in a row with nothing read between
// them (a stalled fetch, a leader it never finds again), it has its consumer replaced. One check at a time.
import type { Logger } from '../logger.js';
import { withTimeout } from '../timeout.js';

/** A partition (`topic/partition`) with the offset its committed messages end at. */
type Target = [string, number];

export interface StuckWatchOptions {
  /** How often it checks; undefined: every 10 s. */
  everyMs: number | undefined;
  topics: string[];
  log: Logger;
  /** The topics' ends now, read within `timeoutMs`. */
  readEnds(timeoutMs: number): Promise<Target[]>;
  /** True when the follower stands behind this end in a partition it reads. */
  behind(target: Target): boolean;
  /** Moves each time the follower passes a message on or reaches an end. */
  progress(): number;
  /** Where the follower stands behind these ends, for the log. */
  describe(targets: Target[]): string;
  /** Replaces the follower's consumer with one that reads on from where it stands. */
  replace(): Promise<void>;
  closing(): boolean;
}

export interface StuckWatch {
  /** Stops checking; waits up to `waitMs` for a check under way. */
  stop(waitMs: number): Promise<void>;
}

/** @example const watch = watchStuck({ everyMs: 10000, readEnds: ends.read, behind, progress, replace, ... }); */
export function watchStuck(options: StuckWatchOptions): StuckWatch {
  const everyMs = options.everyMs ?? 10000;
  let checking: Promise<void> = Promise.resolve();
  let last = { behind: false, progress: options.progress() };
  const check = async (): Promise<void> => {
    const targets = await options.readEnds(everyMs);
    const now = { behind: targets.some(options.behind), progress: options.progress() };
    if (now.behind && last.behind && now.progress === last.progress && !options.closing()) {
      options.log.warn('follower stood still behind, replacing its consumer', {
        topics: options.topics,
        behind: options.describe(targets),
      });
      await options.replace();
    }
    last = { behind: now.behind, progress: options.progress() };
  };
  const timer = setInterval(() => {
    checking = checking.then(check).catch((error: unknown) => {
      options.log.warn('follower check failed', { topics: options.topics, error: String(error) });
    });
  }, everyMs);
  timer.unref();
  return {
    async stop(waitMs) {
      clearInterval(timer);
      await withTimeout(checking, waitMs, () => undefined);
    },
  };
}
