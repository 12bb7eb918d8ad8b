// Entry point of the payment actor process: `node dist/actors/payment/main.js`.
import { runActorProcess } from '../process.js';
import { paymentActor } from './handler.js';

await runActorProcess(paymentActor);
