// Group commit: batches that finish while a transaction is being committed wait for the next one and go in it
// together. One transaction at a time (the client allows no more per producer), as full as possible. Batches are
// pipelined (a partition's next batch is handled while its last one commits), so the group commit also keeps each
// partition's batches contiguous: after a failure, nothing later of that partition commits before the failed
// messages are read and handled again.
import type { OutgoingMessage } from '../contracts/message.js';
import { nextOffset, type ConsumedOffset } from '../kafka/offsets.js';

/** The messages of one partition a batch handled: from `firstOffset` to `offset`. */
export interface HandledRange extends ConsumedOffset {
  firstOffset: string;
}

/**
 * A batch the group commit refused: after a failed transaction it does not start at the partition's first message
 * rolled back, or it repeats messages already submitted. The partition must be read again from `from`.
 */
export class OutOfTurn extends Error {
  constructor(readonly from: string) {
    super(`the batch does not follow the partition's batches submitted so far: read it again from ${from}`);
    this.name = 'OutOfTurn';
  }
}

/** A failed transaction, with the first offset of each partition that must be read again. */
export class RolledBack extends Error {
  constructor(
    readonly from: ReadonlyMap<string, string>,
    override readonly cause: unknown,
  ) {
    super(`the transaction failed: ${String(cause)}`);
    this.name = 'RolledBack';
  }
}

interface Waiting {
  messages: OutgoingMessage[];
  handled: HandledRange;
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /**
   * Resolves when the transaction that carried this batch committed. Rejects with the transaction's error when it
   * failed (and every batch waiting behind it is rejected too), or at once with OutOfTurn.
   */
  submit(messages: OutgoingMessage[], handled: HandledRange): Promise<void>;
  /** Forgets where these partitions' batches ended: they were (re)assigned or revoked. */
  forget(partitions: Iterable<number>): void;
}

const keyOf = ({ topic, partition }: { topic: string; partition: number }): string => `${topic}/${partition}`;

export interface GroupCommitOptions {
  /** Told when a transaction failed, before the batches it carried are rejected. */
  onFailure?(): void;
  /**
   * Least time between the starts of two transactions (ACTOR_COMMIT_INTERVAL_MS): batches handled meanwhile wait and
   * share the next one. 0: a transaction starts as soon as the last one ended.
   */
  intervalMs?: number;
}

/**
 * Serializes `commit` calls, merging every batch submitted while one runs (or while the interval since the last
 * one's start passes) into the next call.
 * @example const group = createGroupCommit((messages, consumed) => commitTransaction(producer, consumer, messages, consumed));
 */
export function createGroupCommit(
  commit: (messages: OutgoingMessage[], consumed: ConsumedOffset[]) => Promise<void>,
  options: GroupCommitOptions = {},
): GroupCommit {
  const { onFailure = () => undefined, intervalMs = 0 } = options;
  let waiting: Waiting[] = [];
  let committing = false;
  let lastStartedAt = -Infinity;
  // Where each partition's next batch may start: at or after the end of the last batch submitted (offsets have gaps:
  // a transactional topic's commit markers take offsets too), or exactly where a failure rolled the partition back.
  const expected = new Map<string, { partition: number; from: bigint; exactly: boolean }>();

  const rollBack = (failed: Waiting[], error: unknown): void => {
    const from = new Map<string, string>();
    for (const { handled } of failed) {
      const key = keyOf(handled);
      if (from.has(key)) continue;
      from.set(key, handled.firstOffset);
      expected.set(key, { partition: handled.partition, from: BigInt(handled.firstOffset), exactly: true });
    }
    onFailure();
    const rolledBack = new RolledBack(from, error);
    for (const entry of failed) entry.reject(rolledBack);
  };

  const drain = async (): Promise<void> => {
    committing = true;
    while (waiting.length > 0) {
      const pause = lastStartedAt + intervalMs - Date.now();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      lastStartedAt = Date.now();
      const group = waiting;
      waiting = [];
      try {
        await commit(
          group.flatMap((entry) => entry.messages),
          group.map(({ handled: { topic, partition, offset } }) => ({ topic, partition, offset })),
        );
        for (const entry of group) entry.resolve();
      } catch (error) {
        // The batches waiting may follow the failed ones in their partitions: they cannot commit without them.
        const failed = [...group, ...waiting];
        waiting = [];
        rollBack(failed, error);
      }
    }
    committing = false;
  };

  return {
    submit: (messages, handled) => {
      const key = keyOf(handled);
      const turn = expected.get(key);
      const first = BigInt(handled.firstOffset);
      if (turn !== undefined && (turn.exactly ? first !== turn.from : first < turn.from)) {
        return Promise.reject(new OutOfTurn(String(turn.from)));
      }
      expected.set(key, { partition: handled.partition, from: BigInt(nextOffset(handled.offset)), exactly: false });
      return new Promise<void>((resolve, reject) => {
        waiting.push({ messages, handled, resolve, reject });
        if (!committing) void drain();
      });
    },
    forget(partitions) {
      const numbers = new Set(partitions);
      for (const [key, { partition }] of expected) if (numbers.has(partition)) expected.delete(key);
    },
  };
}
