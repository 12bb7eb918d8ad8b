// Entry point of the status actor process: `node dist/actors/status/main.js`.
// First: the Kafka client's calls need more threads than libuv's default (see threadpool.ts).
import '../../threadpool.js';
import { runActorProcess } from '../process.js';
import { statusActor } from './handler.js';

await runActorProcess(statusActor);
