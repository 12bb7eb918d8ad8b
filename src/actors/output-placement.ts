// Where an actor's outputs go. When its input and output topics have as many partitions each, an output goes to its
// input's partition: then only the instance that holds input partition p writes output partition p, and its ledger
// need not read back what it wrote there (ledger.ts, `own`). Otherwise each output's key places it.
import { listedTopics } from '../kafka/topics.js';
import type { Admin } from '../kafka/client.js';

export interface OutputPlacement {
  /** True when outputs go to their input's partition. */
  followsInputs: boolean;
  /** The partition of an output to `topic` of an event read from `inputPartition`; undefined: its key places it. */
  partition(topic: string, inputPartition: number): number | undefined;
}

/**
 * Decided from the topics' partition counts at start. Should an input topic grow past an output topic while the
 * actor runs, outputs of its new partitions are placed by their keys (docs/guarantees.md).
 * @example const placement = await outputPlacement(admin, ['shop.order_created'], ['shop.payment_completed']);
 */
export async function outputPlacement(
  admin: Admin,
  inputs: readonly string[],
  outputs: readonly string[],
): Promise<OutputPlacement> {
  const metadata = await listedTopics(admin, [...new Set([...inputs, ...outputs])]);
  const counts = new Map(metadata.map(({ name, partitions }) => [name, partitions.length]));
  const followsInputs = new Set(counts.values()).size === 1;
  return {
    followsInputs,
    partition: (topic, inputPartition) =>
      followsInputs && inputPartition < (counts.get(topic) ?? 0) ? inputPartition : undefined,
  };
}
