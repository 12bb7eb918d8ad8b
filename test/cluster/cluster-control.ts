// Killing, stopping and starting the nodes of the tests' own three-node cluster with deploy/kafka/cluster.sh, and
// reading what the cluster says about its partitions: who leads them, and whether every replica is in sync.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Admin } from '../../src/kafka/client.js';
import { waitFor } from '../helpers.js';

const clusterScript = fileURLToPath(new URL('../../deploy/kafka/cluster.sh', import.meta.url));

/** The cluster's nodes; node n is broker n. */
export const nodes = [1, 2, 3] as const;

/** Why the cluster's nodes cannot be stopped by the tests, or undefined when they can. */
export function clusterControlUnavailable(): string | undefined {
  const { CLUSTER_CONTROL, CLUSTER_RUN_DIR, CLUSTER_PORT_BASE } = process.env;
  if (CLUSTER_CONTROL === '1' && CLUSTER_RUN_DIR && CLUSTER_PORT_BASE) return undefined;
  return "the cluster is not the tests' own (run deploy/test-cluster.sh, or make test-cluster)";
}

/** Runs `cluster.sh node <n> <command>`; resolves with the milliseconds it took. */
export function nodeCommand(node: number, command: 'start' | 'stop' | 'kill' | 'status'): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      clusterScript,
      ['node', String(node), command],
      { env: process.env, timeout: 180000 },
      (error, out, err) => {
        if (error) reject(new Error(`cluster.sh node ${node} ${command} failed: ${error.message}\n${out}${err}`));
        else resolve(Math.round(performance.now() - started));
      },
    );
  });
}

/** True when node `n`'s broker process runs and answers. */
export const nodeUp = (node: number): Promise<boolean> =>
  nodeCommand(node, 'status').then(
    () => true,
    () => false,
  );

/** The broker that leads the most partitions of `topic` (the lowest id among equals), and how many it leads. */
export async function busiestLeader(admin: Admin, topic: string): Promise<{ broker: number; partitions: number }> {
  const [metadata] = await admin.fetchTopicMetadata({ topics: [topic] });
  const led = new Map<number, number>();
  for (const { leader } of metadata!.partitions) led.set(leader, (led.get(leader) ?? 0) + 1);
  const [broker, partitions] = [...led].sort(([a, countA], [b, countB]) => countB - countA || a - b)[0]!;
  return { broker, partitions };
}

/** The partitions of `topics` whose in-sync replicas are fewer than their replicas, as `topic/partition`. */
export async function underReplicated(admin: Admin, topics: string[]): Promise<string[]> {
  const metadata = await admin.fetchTopicMetadata({ topics });
  return metadata.flatMap(({ name, partitions }) =>
    partitions
      .filter(({ isr, replicas }) => isr.length < replicas.length)
      .map(({ partitionId }) => `${name}/${partitionId}`),
  );
}

/** The internal topics whose replicas a node's restart must also wait for. */
export const internalTopics = ['__consumer_offsets', '__transaction_state'];

/** Polls until no partition of `topics` is under-replicated; resolves with the milliseconds it took. */
export async function waitInSync(admin: Admin, topics: string[], timeoutMs = 120000): Promise<number> {
  const started = performance.now();
  await waitFor(
    'every replica in sync (under-replicated partitions 0)',
    async () => (await underReplicated(admin, topics).catch(() => ['(no metadata)'])).length === 0,
    timeoutMs,
    250,
  );
  return Math.round(performance.now() - started);
}
