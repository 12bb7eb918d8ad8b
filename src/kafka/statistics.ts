// Consumer lag from librdkafka's statistics (`statistics.interval.ms` + `stats_cb`): the JSON document it emits
// is read here, so the lag costs no request to the broker beyond the fetches the consumer makes anyway.

/** How far one partition's consumer is behind its end (the last stable offset under read_committed). */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

interface PartitionStatistics {
  partition?: number;
  desired?: boolean;
  consumer_lag?: number;
  consumer_lag_stored?: number;
}

interface Statistics {
  topics?: Record<string, { partitions?: Record<string, PartitionStatistics> }>;
}

/**
 * The lag of each partition the consumer holds, from one statistics document. The offset the actor stored after
 * its last commit counts first (its offsets are committed in transactions, which the consumer never sees);
 * the committed offset read at assignment stands in until then. Partitions with neither known are left out.
 * @example consumerLag('{"topics":{"t":{"partitions":{"0":{"partition":0,"desired":true,"consumer_lag_stored":3}}}}}')
 */
export function consumerLag(json: string): PartitionLag[] {
  let statistics: Statistics;
  try {
    statistics = JSON.parse(json) as Statistics;
  } catch {
    return [];
  }
  const lags: PartitionLag[] = [];
  for (const [topic, { partitions = {} }] of Object.entries(statistics.topics ?? {})) {
    for (const entry of Object.values(partitions)) {
      const { partition = -1, desired = false, consumer_lag: committed = -1, consumer_lag_stored: stored = -1 } = entry;
      // Partition -1 is librdkafka's internal unassigned-messages queue; `desired` marks the assigned ones.
      if (partition < 0 || !desired) continue;
      const lag = stored >= 0 ? stored : committed;
      if (lag >= 0) lags.push({ topic, partition, lag });
    }
  }
  return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
