// Entry point of the shipping actor process: `node dist/actors/shipping/main.js`.
// First: the Kafka client's calls need more threads than libuv's default (see threadpool.ts).
import '../../threadpool.js';
import { runActorProcess } from '../process.js';
import { shippingActor } from './handler.js';

await runActorProcess(shippingActor);
