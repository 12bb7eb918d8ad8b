// The lifecycle of one actor instance as one explicit state value: starting -> running -> stopping -> stopped,
// or starting -> stopped when the start fails. Any other move is a bug in the runtime and throws.

export type ActorState = 'starting' | 'running' | 'stopping' | 'stopped';

const allowed: Record<ActorState, readonly ActorState[]> = {
  starting: ['running', 'stopped'],
  running: ['stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export interface Lifecycle {
  state(): ActorState;
  /** True in `running`: the instance takes work. False from the moment `stop()` begins. */
  running(): boolean;
  /** True in `stopping` and `stopped`: work not finished now is left to the partitions' next owner. */
  stopping(): boolean;
  /** Moves to `next`; throws when the move is not one of the allowed transitions. */
  moveTo(next: ActorState): void;
}

/**
 * A lifecycle in `starting`.
 * @example const lifecycle = createLifecycle(); lifecycle.moveTo('running');
 */
export function createLifecycle(): Lifecycle {
  let current: ActorState = 'starting';
  return {
    state: () => current,
    running: () => current === 'running',
    stopping: () => current === 'stopping' || current === 'stopped',
    moveTo(next) {
      if (!allowed[current].includes(next)) throw new Error(`an actor cannot move from ${current} to ${next}`);
      current = next;
    },
  };
}
