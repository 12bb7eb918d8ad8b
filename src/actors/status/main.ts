// Entry point of the status actor process: `node dist/actors/status/main.js`.
import { runActorProcess } from '../process.js';
import { statusActor } from './handler.js';

await runActorProcess(statusActor);
