// `make topics`: creates the missing topics and says which were created and which already existed.
import { loadConfigOrExit } from '../config.js';
import { ensureTopics } from '../kafka/topics.js';
import { createLogger } from '../logger.js';

const config = loadConfigOrExit();
const log = createLogger({ ...config, logLevel: 'warn' }, 'topics');
try {
  const { created, existing, brokers } = await ensureTopics(config, log);
  console.log(`${brokers} broker${brokers === 1 ? '' : 's'} on ${config.kafkaBrokers}`);
  for (const { name, replicationFactor, configs } of created) {
    console.log(
      `created  ${name}  (replication factor ${replicationFactor}, min.insync.replicas ${configs['min.insync.replicas']})`,
    );
  }
  for (const name of existing) console.log(`exists   ${name}`);
} catch (error) {
  console.error(`cannot create topics on ${config.kafkaBrokers}: ${(error as Error).message}`);
  process.exit(1);
}
