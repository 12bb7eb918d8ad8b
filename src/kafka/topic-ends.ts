// Where whole topics end, for a follower: each partition's last stable offset, read within a bound by an admin
// client that is replaced when a request goes unanswered.
import type { Config } from '../config.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { answeredWithin } from '../unanswered.js';
import { createAdmin, disconnectWithin, type Admin } from './client.js';
import { readableEnds } from './offsets.js';

const disconnectWaitMs = 3000;

export interface TopicEnds {
  /** The admin client now (to list the topics' partitions). */
  admin(): Admin;
  /**
   * Every partition of `topics` (`topic/partition`) with the offset its committed messages end at, read within
   * `timeoutMs`. Past the bound, or when the client could not connect, a new client is made for the next call,
   * and this one rejects (retriable).
   */
  read(timeoutMs: number): Promise<[string, number][]>;
  close(): Promise<void>;
}

/**
 * Connects an admin client for the ends of `topics`; rejects when it cannot connect. `newAdmin` makes each client
 * (a test gives one that never answers).
 * @example const ends = await topicEnds(config, log, topics); const targets = await ends.read(10000);
 */
export async function topicEnds(
  config: Config,
  log: Logger,
  topics: readonly string[],
  newAdmin = (): Admin => createAdmin(config, log, 'follower-admin'),
): Promise<TopicEnds> {
  let admin = newAdmin();
  await admin.connect();
  let connected = Promise.resolve();
  // An admin request can go unanswered for good after a broker left (like a transaction's offsets, see
  // transaction.ts): an actor's ledger then waited without end, and its actor with it.
  const replace = (): void => {
    void disconnectWithin(admin, disconnectWaitMs);
    admin = newAdmin();
    connected = admin.connect();
    // Told to the next read, which awaits it.
    connected.catch(() => undefined);
  };
  return {
    admin: () => admin,
    read(timeoutMs) {
      const reading = (async () => {
        await connected.catch((error: unknown) => {
          replace();
          throw error;
        });
        const targets: [string, number][] = [];
        for (const topic of topics) {
          for (const { partition, high } of await readableEnds(admin, topic)) {
            targets.push([`${topic}/${partition}`, Number(high)]);
          }
        }
        return targets;
      })();
      return answeredWithin(reading, timeoutMs, () => {
        replace();
        throw new WebshopError('KAFKA_UNAVAILABLE', `the topics' end offsets were not read in ${timeoutMs} ms`, {
          retriable: true,
        });
      });
    },
    close: async () => {
      await disconnectWithin(admin, disconnectWaitMs);
    },
  };
}
