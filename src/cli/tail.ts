// `make tail TOPIC=.. FROM=beginning|end`: prints a topic's events (or dead letters) as they arrive, until Ctrl-C.
import { loadConfigOrExit } from '../config.js';
import { topic, topicNames, type TopicName } from '../contracts/topics.js';
import { readTopics } from '../kafka/reader.js';
import { createLogger } from '../logger.js';
import { describeMessage } from './describe-event.js';
import { parseOptions } from './options.js';

const { values } = parseOptions('tail', {
  options: { topic: { type: 'string', default: 'order_created' }, from: { type: 'string', default: 'beginning' } },
});
const config = loadConfigOrExit();
const log = createLogger({ ...config, logLevel: 'error' }, 'tail');
if (values.from !== 'beginning' && values.from !== 'end') {
  console.error(`FROM must be beginning or end, not ${values.from}`);
  process.exit(2);
}
const name = (topicNames as readonly string[]).includes(values.topic)
  ? topic(config.topicPrefix, values.topic as TopicName)
  : values.topic;
console.error(`reading ${name} from the ${values.from} (Ctrl-C to stop)`);
const reader = await readTopics(config, log, {
  topics: [name],
  from: values.from,
  onMessage: (topicName, partition, message) => console.log(describeMessage(topicName, partition, message)),
});
const stop = (): void => void reader.stop().then(() => process.exit(0));
// `make tail | head` closes the pipe: that is a normal way to stop, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : stop()));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
