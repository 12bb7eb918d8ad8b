// A repair of the client's KafkaJS layer (v1.10.1), applied once when src/kafka/client.ts loads. Its error conversion
// turns librdkafka's COORDINATOR_NOT_AVAILABLE (code 15) into `new KafkaJSGroupCoordinatorNotAvailableError(...)`, a
// class its error module never defines: the TypeError is thrown inside librdkafka's callback, so the call's promise
// never settles and the process dies of it. On a cluster this is what follows a kill -9 of the broker that
// coordinated an actor's transactions (sendOffsets answered COORDINATOR_NOT_AVAILABLE): the actor died silently.
import { createRequire } from 'node:module';

type ErrorClass = new (error: unknown, properties?: object) => Error;

const missingClass = 'KafkaJSGroupCoordinatorNotAvailableError';

/**
 * Defines the missing class as the module's own KafkaJSGroupCoordinatorNotFound (same code, same flags), so a
 * COORDINATOR_NOT_AVAILABLE rejects the call like any other protocol error. A no-op once the client defines it.
 * @example repairClientErrors() // true when the client needed the repair
 */
export function repairClientErrors(): boolean {
  // The client's CommonJS module, the very instance its conversion reads (the package has no exports map).
  const errors = createRequire(import.meta.url)('@confluentinc/kafka-javascript/lib/kafkajs/_error.js') as Record<
    string,
    ErrorClass | undefined
  >;
  if (errors[missingClass] !== undefined) return false;
  errors[missingClass] = errors.KafkaJSGroupCoordinatorNotFound;
  return true;
}
