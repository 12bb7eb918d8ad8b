// Entry point of the notification actor process: `node dist/actors/notification/main.js`.
import { runActorProcess } from '../process.js';
import { notificationActor } from './handler.js';

await runActorProcess(notificationActor);
