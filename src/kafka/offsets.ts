// Offset arithmetic and reading: the offset a commit names for a processed message, and where a read_committed
// consumer's reading ends in each partition.
import { KafkaJS } from '@confluentinc/kafka-javascript';
import type { Admin } from './client.js';

/** A message an actor has processed, by its place: what a transaction commits for it. */
export interface ConsumedOffset {
  topic: string;
  partition: number;
  /** The last offset processed; the transaction commits the next one. */
  offset: string;
}

/** The committed offset that marks `offset` as processed: the next one to read. */
export function nextOffset(offset: string): string {
  return String(BigInt(offset) + 1n);
}

/**
 * Where a read_committed consumer's reading ends in each partition of `topic`: the last stable offset, which
 * an open transaction (of a producer that died mid-transaction, say) holds back until it ends.
 */
export function readableEnds(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  return admin.fetchTopicOffsets(topic, { isolationLevel: KafkaJS.IsolationLevel.READ_COMMITTED });
}
