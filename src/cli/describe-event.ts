// How the CLIs print an event or a dead letter on one line: what a person wants to see at a glance.
import { deadLetterHeaders } from '../contracts/dead-letter.js';
import { headerText } from '../contracts/message.js';
import type { KafkaMessage } from '../kafka/client.js';

/** The parsed CloudEvent of a message, or undefined when the value is not one. */
export function eventOf(
  message: KafkaMessage,
):
  | { type?: string; subject?: string; time?: string; correlationid?: string; data?: Record<string, unknown> }
  | undefined {
  try {
    const parsed: unknown = JSON.parse(message.value?.toString('utf8') ?? '');
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A short preview of bytes: at most `length` characters, on one line. */
export function preview(value: Buffer | null, length = 80): string {
  if (value === null) return '(null)';
  const text = value.toString('utf8').replace(/\s+/g, ' ');
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** `partition/offset time type subject data` for an event; the dlq-* headers for a dead letter. */
export function describeMessage(topic: string, partition: number, message: KafkaMessage): string {
  const time = new Date(Number(message.timestamp)).toISOString();
  const where = `${topic}[${partition}]@${message.offset}`;
  const code = headerText(message, deadLetterHeaders.errorCode);
  if (code !== undefined) {
    const origin = `${headerText(message, deadLetterHeaders.originalTopic)}[${headerText(message, deadLetterHeaders.originalPartition)}]@${headerText(message, deadLetterHeaders.originalOffset)}`;
    return `${time} ${where} ${code} from ${origin}: ${headerText(message, deadLetterHeaders.errorMessage)} key=${message.key?.toString() ?? '(null)'} value=${preview(message.value)}`;
  }
  const event = eventOf(message);
  if (event?.type === undefined) return `${time} ${where} (not an event) ${preview(message.value)}`;
  return `${time} ${where} ${event.type} ${event.subject ?? ''} ${JSON.stringify(event.data)}`;
}
