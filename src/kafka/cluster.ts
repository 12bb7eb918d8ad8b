// How many brokers the Kafka cluster has, as its metadata reports them: the topic settings follow the cluster size.
// The promisified admin has no DescribeCluster, so one short-lived client of the callback API asks for the metadata.
import { RdKafka } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';

/**
 * The brokers the cluster's metadata lists (the live ones); rejects when none answers within `timeoutMs`.
 * @example const brokers = await countBrokers(config); // 3 on `make cluster`, 1 on `make kafka`
 */
export async function countBrokers(config: Config, timeoutMs = 10000): Promise<number> {
  const client = new RdKafka.Producer({ 'metadata.broker.list': config.kafkaBrokers, log_level: 3 });
  try {
    const metadata = await new Promise<RdKafka.Metadata>((resolve, reject) => {
      client.connect({ allTopics: false, timeout: timeoutMs }, (error, data) =>
        error ? reject(error) : resolve(data),
      );
    });
    return metadata.brokers.length;
  } finally {
    if (client.isConnected()) await new Promise<void>((resolve) => client.disconnect(() => resolve()));
  }
}
