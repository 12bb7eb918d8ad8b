// Guards against a consumer that silently stops delivering while it stays in its group
// (confluent-kafka-javascript#476): work waiting and no progress for too long -> the runtime replaces it.

export interface WatchdogOptions {
  stallTimeoutMs: number;
  /** When the actor last finished a batch (or got partitions). */
  lastProgressAt(): number;
  /** True when an assigned partition has messages waiting; false also when it cannot tell (broker away). */
  hasPendingWork(): Promise<boolean>;
  /** False while the actor waits on purpose (partitions paused for a retry, stopping). */
  watching(): boolean;
  onStall(idleMs: number): Promise<void>;
}

export interface Watchdog {
  stop(): void;
}

/**
 * Checks every quarter of the stall timeout (at most every 5 s). A stall is work that has been waiting,
 * with no progress, for longer than `stallTimeoutMs`: a burst after a long quiet spell is not one.
 */
export function startWatchdog(options: WatchdogOptions): Watchdog {
  let waitingSince: number | undefined;
  let checking = false;
  const check = async (): Promise<void> => {
    if (checking || !options.watching()) return;
    checking = true;
    try {
      const now = Date.now();
      if (!(await options.hasPendingWork())) {
        waitingSince = undefined;
        return;
      }
      waitingSince = Math.max(waitingSince ?? now, options.lastProgressAt());
      const idleMs = now - waitingSince;
      if (idleMs > options.stallTimeoutMs) {
        waitingSince = undefined;
        await options.onStall(idleMs);
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), Math.min(5000, Math.ceil(options.stallTimeoutMs / 4)));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
