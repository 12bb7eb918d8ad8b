// Entry point of the notification actor process: `node dist/actors/notification/main.js`.
// First: the Kafka client's calls need more threads than libuv's default (see threadpool.ts).
import '../../threadpool.js';
import { runActorProcess } from '../process.js';
import { notificationActor } from './handler.js';

await runActorProcess(notificationActor);
