// Entry point of the payment actor process: `node dist/actors/payment/main.js`.
// First: the Kafka client's calls need more threads than libuv's default (see threadpool.ts).
import '../../threadpool.js';
import { runActorProcess } from '../process.js';
import { paymentActor } from './handler.js';

await runActorProcess(paymentActor);
