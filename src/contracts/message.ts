// A Kafka message as the contracts see it: what a consumed one carries, what one to produce holds, and reading
// its headers. Defined here rather than in kafka/, so that contracts need nothing from the layer above them.

/** A message's headers as the client gives them: a header that repeats comes as an array. */
export interface MessageHeaders {
  [name: string]: Buffer | string | (Buffer | string)[] | undefined;
}

/** A consumed message, as far as the contracts read it: the client's KafkaMessage is one. */
export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  timestamp: string;
  headers?: MessageHeaders;
}

/** A message to produce; headers are strings. Without a partition, the key's hash places it. */
export interface OutgoingMessage {
  topic: string;
  partition?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string | Buffer>;
}

function firstValue(value: MessageHeaders[string]): Buffer | string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The value of a message header as a string (the first one when the header repeats). */
export function headerText(message: Pick<ConsumedMessage, 'headers'>, name: string): string | undefined {
  return firstValue(message.headers?.[name])?.toString();
}

/**
 * The headers of `message` for a copy of it: each with its first value, without those `dropped` names.
 * @example copiedHeaders(message, (name) => name.startsWith('dlq-'))
 */
export function copiedHeaders(
  message: Pick<ConsumedMessage, 'headers'>,
  dropped: (name: string) => boolean,
): Record<string, string | Buffer> {
  const copied: Record<string, string | Buffer> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = firstValue(value);
    if (first !== undefined && !dropped(name)) copied[name] = first;
  }
  return copied;
}
