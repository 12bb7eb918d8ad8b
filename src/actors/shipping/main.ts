// Entry point of the shipping actor process: `node dist/actors/shipping/main.js`.
import { runActorProcess } from '../process.js';
import { shippingActor } from './handler.js';

await runActorProcess(shippingActor);
