// Group commit: batches that finish while a transaction is being committed wait for the next one and go
// in it together. One transaction at a time (the client allows no more per producer), as full as possible.
import type { OutgoingMessage } from '../contracts/message.js';
import type { ConsumedOffset } from '../kafka/offsets.js';

interface Waiting {
  messages: OutgoingMessage[];
  consumed: ConsumedOffset;
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /** Resolves when the transaction that carried this batch committed; rejects when it failed. */
  submit(messages: OutgoingMessage[], consumed: ConsumedOffset): Promise<void>;
}

/**
 * Serializes `commit` calls, merging every batch submitted while one runs into the next call.
 * @example const group = createGroupCommit((messages, consumed) => commitTransaction(producer, consumer, messages, consumed));
 */
export function createGroupCommit(
  commit: (messages: OutgoingMessage[], consumed: ConsumedOffset[]) => Promise<void>,
): GroupCommit {
  let waiting: Waiting[] = [];
  let committing = false;

  const drain = async (): Promise<void> => {
    committing = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await commit(
          group.flatMap((entry) => entry.messages),
          group.map((entry) => entry.consumed),
        );
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    committing = false;
  };

  return {
    submit: (messages, consumed) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ messages, consumed, resolve, reject });
        if (!committing) void drain();
      }),
  };
}
