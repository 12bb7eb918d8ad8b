// Where a consumer group stands on a topic, read with the admin client the way kafka-consumer-groups does:
// committed offsets against the partitions' end offsets, once or every 500 ms to find the highest lag.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from '../src/kafka/client.js';

export interface GroupPosition {
  /** Sum of the partitions' end offsets (high watermarks). */
  end: number;
  /** Sum of the committed offsets (a partition without a commit counts from its start). */
  committed: number;
  /**
   * Sum over partitions of end - committed. A topic written in transactions ends with a commit marker, which no
   * consumer commits past: a group that has read everything still lags by up to one per partition.
   */
  lag: number;
  partitions: number;
}

export interface GroupOnTopic {
  groupId: string;
  /** The group's input topic, or all of them (the status actor reads five). */
  topic: string | readonly string[];
}

/** One reading of `groupId`'s committed offsets on its topics against the topics' end offsets. */
export async function groupPosition(admin: Admin, { groupId, topic }: GroupOnTopic): Promise<GroupPosition> {
  const topics = typeof topic === 'string' ? [topic] : [...topic];
  const [ends, committed] = await Promise.all([
    Promise.all(topics.map(async (name) => ({ name, offsets: await admin.fetchTopicOffsets(name) }))),
    admin.fetchOffsets({ groupId, topics }),
  ]);
  const committedBy = new Map(
    committed.flatMap(({ topic: name, partitions }) =>
      partitions.map((entry) => [`${name}/${entry.partition}`, Number(entry.offset)] as const),
    ),
  );
  const position: GroupPosition = { end: 0, committed: 0, lag: 0, partitions: 0 };
  for (const { name, offsets } of ends) {
    for (const { partition, high, low } of offsets) {
      const end = Number(high);
      const offset = committedBy.get(`${name}/${partition}`) ?? -1;
      const done = offset < 0 ? Number(low) : offset;
      position.end += end;
      position.committed += done;
      position.lag += Math.max(0, end - done);
      position.partitions += 1;
    }
  }
  return position;
}

export interface LagWatch {
  /** Stops polling; resolves with the highest lag seen per group id. */
  stop(): Promise<Record<string, number>>;
}

/**
 * Polls every group's lag every `everyMs` until `stop()`, keeping the highest value seen.
 * @example const watch = watchLag(admin, [{ groupId: 'bench.payment', topic: 'bench.order_created' }]);
 */
export function watchLag(admin: Admin, groups: GroupOnTopic[], everyMs = 500): LagWatch {
  const highest: Record<string, number> = Object.fromEntries(groups.map(({ groupId }) => [groupId, 0]));
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const next = sleep(everyMs);
      const positions = await Promise.all(groups.map((group) => groupPosition(admin, group).catch(() => undefined)));
      positions.forEach((position, index) => {
        const { groupId } = groups[index]!;
        if (position) highest[groupId] = Math.max(highest[groupId]!, position.lag);
      });
      await next;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return highest;
    },
  };
}
