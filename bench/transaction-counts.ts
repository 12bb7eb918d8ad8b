// How many transactions the actors committed and how many input events they carried, read from each actor's own
// Prometheus metrics (GET /metrics on its health port; src/metrics.ts): the broker's transaction load.

/** Totals of one actor since it started. */
export interface TransactionCount {
  /** `webshop_actor_transaction_commit_duration_seconds_count{result="committed"}`. */
  transactions: number;
  /** `webshop_actor_events_processed_total`, every outcome. */
  events: number;
}

const sumOf = (exposition: string, metric: string, labelFilter: (labels: string) => boolean): number => {
  let sum = 0;
  const line = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const [, labels = '', value] of exposition.matchAll(line)) {
    if (labelFilter(labels)) sum += Number(value);
  }
  return sum;
};

/** Reads the transaction and event totals of the actor whose health server listens on `port`. */
export async function transactionCount(port: number): Promise<TransactionCount> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET /metrics on port ${port} answered ${response.status}`);
  const exposition = await response.text();
  return {
    transactions: sumOf(exposition, 'webshop_actor_transaction_commit_duration_seconds_count', (labels) =>
      labels.includes('result="committed"'),
    ),
    events: sumOf(exposition, 'webshop_actor_events_processed_total', () => true),
  };
}

/** What each actor committed between two readings. */
export function countedBetween(before: TransactionCount, after: TransactionCount): TransactionCount {
  return { transactions: after.transactions - before.transactions, events: after.events - before.events };
}
