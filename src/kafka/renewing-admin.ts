// An admin client whose calls are bounded, and which is replaced when one goes unanswered: after a broker left, an
// admin request can go unanswered for good (like a transaction's offsets, see transaction.ts), and a reader that
// kept its client (an actor's ledger, its stall watchdog) waited without end or saw nothing from then on.
import { WebshopError } from '../errors.js';
import { answeredWithin } from '../unanswered.js';
import { disconnectWithin, type Admin } from './client.js';

const disconnectWaitMs = 3000;

export interface RenewingAdmin {
  /** Resolves once the first client connected; rejects when it could not. */
  connect(): Promise<void>;
  /** The client now. */
  current(): Admin;
  /**
   * `work` on the client now, within `timeoutMs`. Past the bound, or when the client could not connect, a new client
   * is made for the next call, and this one rejects (retriable KAFKA_UNAVAILABLE: "`what` were not read in N ms").
   */
  call<T>(work: (admin: Admin) => Promise<T>, timeoutMs: number, what: string): Promise<T>;
  /** Disconnects the client now, waiting at most 3 s for it. */
  disconnect(): Promise<void>;
}

/**
 * Makes a client with `newAdmin` and starts connecting it; each replacement is made the same way.
 * @example const admins = renewingAdmin(() => createAdmin(config, log, 'payment-watchdog')); await admins.connect();
 */
export function renewingAdmin(newAdmin: () => Admin): RenewingAdmin {
  let admin = newAdmin();
  let connected = admin.connect();
  // Told to the caller of connect() or to the next call, which awaits it.
  connected.catch(() => undefined);
  const replace = (): void => {
    void disconnectWithin(admin, disconnectWaitMs);
    admin = newAdmin();
    connected = admin.connect();
    connected.catch(() => undefined);
  };
  return {
    connect: () => connected,
    current: () => admin,
    call(work, timeoutMs, what) {
      const calling = (async () => {
        await connected.catch((error: unknown) => {
          replace();
          throw error;
        });
        return work(admin);
      })();
      return answeredWithin(calling, timeoutMs, () => {
        replace();
        throw new WebshopError('KAFKA_UNAVAILABLE', `${what} were not read in ${timeoutMs} ms`, { retriable: true });
      });
    },
    disconnect: async () => {
      await disconnectWithin(admin, disconnectWaitMs);
    },
  };
}
