// The topics as an AsyncAPI 3.0 document, generated from config/topics.conf and the topic contracts, whose
// schemas are the ones the code validates with: served at GET /asyncapi.json and committed as docs/asyncapi.json.
import { cloudEventContentType } from './envelope.js';
import { sharedSchemas, type MessageContract } from './message-contracts.js';
import { topicContracts } from './topic-contracts.js';
import { topicDefinitions, type TopicDefinition } from './topics.js';

/** The version of the shop's contracts, in both documents: raise it when a contract changes. */
export const contractVersion = '1.0.0';

const kafkaBinding = '0.5.0';

/** Kafka's topic configs as the binding types them: numbers for sizes and times, a list for cleanup.policy. */
function topicConfiguration(configs: TopicDefinition['configs']): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(configs).map(([name, value]) => {
      if (name === 'cleanup.policy') return [name, value.split(',')];
      return [name, /\.(ms|bytes)$/.test(name) ? Number(value) : value];
    }),
  );
}

function message(contract: MessageContract): Record<string, unknown> {
  const { example } = contract;
  return {
    name: contract.name,
    title: contract.title,
    summary: contract.summary,
    contentType: contract.contentType,
    headers: contract.headers,
    payload: contract.payload,
    bindings: { kafka: { key: contract.key, bindingVersion: kafkaBinding } },
    examples: [{ name: `${contract.name}.example`, headers: example.headers, payload: example.payload }],
  };
}

function operations(): Record<string, unknown> {
  const entries = Object.entries(topicContracts).flatMap(([topic, contract]) => {
    const operation = (service: string, action: 'send' | 'receive'): [string, unknown] => [
      `${service}-${action}s-${topic}`,
      {
        action,
        channel: { $ref: `#/channels/${topic}` },
        summary: `${service} ${action}s ${contract.messages.map((m) => m.name).join(', ')}`,
        messages: contract.messages.map((m) => ({ $ref: `#/channels/${topic}/messages/${m.name}` })),
      },
    ];
    return [
      ...contract.producers.map((service) => operation(service, 'send')),
      ...contract.consumers.map((service) => operation(service, 'receive')),
    ];
  });
  return Object.fromEntries(entries);
}

/**
 * The AsyncAPI 3.0 document of the shop's topics: one channel per topic, its messages with their schemas and
 * key, and who sends and receives them. Topic names are shown without TOPIC_PREFIX.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const definitions = topicDefinitions();
  const channels = Object.fromEntries(
    definitions.map((definition) => {
      const contract = topicContracts[definition.name];
      return [
        definition.name,
        {
          address: definition.name,
          description: contract.description,
          messages: Object.fromEntries(
            contract.messages.map((m) => [m.name, { $ref: `#/components/messages/${m.name}` }]),
          ),
          bindings: {
            kafka: {
              partitions: definition.partitions,
              replicas: definition.replicationFactor,
              topicConfiguration: topicConfiguration(definition.configs),
              bindingVersion: kafkaBinding,
            },
          },
        },
      ];
    }),
  );
  const messages = definitions.flatMap((definition) => topicContracts[definition.name].messages);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'kafka-webshop events',
      version: contractVersion,
      description:
        'The topics of kafka-webshop and what travels on them: CloudEvents 1.0 in structured JSON mode, keyed by ' +
        'the order id. Every topic name takes the TOPIC_PREFIX setting in front of it.',
    },
    defaultContentType: cloudEventContentType,
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'The broker of `make dev` and `make up`.' },
    },
    channels,
    operations: operations(),
    components: {
      schemas: sharedSchemas,
      messages: Object.fromEntries(messages.map((contract) => [contract.name, message(contract)])),
    },
  };
}
