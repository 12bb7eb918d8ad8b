// What the broker did over a window of a bench step run by hand: its CPU seconds (from /proc) and the requests it
// answered by type (over JMX), and from them its CPU per transaction (one EndTxn each). It compares what one
// transaction costs the broker whoever sends it (bench/README.md, "What one transaction costs the broker").
import { brokerRequests, requestsBetween } from './broker-requests.js';
import { cpuSeconds } from './measured-windows.js';

export interface BrokerWork {
  cpuS: number;
  /** Requests answered, by type. */
  requests: Record<string, number>;
  /** Transactions ended (EndTxn requests). */
  transactions: number;
  /** The broker's CPU per transaction ended, everything else it did in the window included. */
  cpuMsPerTransaction?: number;
}

/**
 * Starts watching the broker JVM `pid`; call the result to end the window. Rejects when its request counts cannot be
 * read (no JDK's jcmd).
 * @example const ended = await watchBroker(pid); await measure(); const work = await ended();
 */
export async function watchBroker(pid: number): Promise<() => Promise<BrokerWork>> {
  const counts = await brokerRequests(pid);
  const before = await counts.read();
  const cpuBefore = cpuSeconds(pid);
  return async () => {
    const cpuS = Math.round((cpuSeconds(pid) - cpuBefore) * 100) / 100;
    const requests = Object.fromEntries(requestsBetween(before, await counts.read()));
    const transactions = requests.EndTxn ?? 0;
    const work: BrokerWork = { cpuS, requests, transactions };
    if (transactions > 0) work.cpuMsPerTransaction = Math.round((cpuS * 100000) / transactions) / 100;
    return work;
  };
}
