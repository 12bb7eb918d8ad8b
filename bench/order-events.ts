// What the benchmark sends: POST /order bodies (half of them over the payment limit) and valid,
// order-sized CloudEvents of each actor's input type, every one with its own orderId.
import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent } from '../src/contracts/envelope.js';

/** One POST /order request of the load. */
export interface OrderRequest {
  /** OrderId and X-Request-Id of the request. */
  id: string;
  body: string;
}

export type InputEventType = 'webshop.order.created' | 'webshop.payment.completed' | 'webshop.payment.failed';

/** An amount under the default payment limit (300) for even numbers, over it for odd ones. */
export function amountOf(sequence: number): number {
  return sequence % 2 === 0 ? 120 : 350;
}

/**
 * Numbered POST /order requests whose OrderId (also the X-Request-Id) starts with `tag`.
 * @example const next = orderRequests('load'); next() // { id: 'load-1a2b3c-0', body: '{"OrderId":...}' }
 */
export function orderRequests(tag: string): () => OrderRequest {
  const run = randomUUID().slice(0, 6);
  let sequence = 0;
  return () => {
    const id = `${tag}-${run}-${sequence}`;
    const body = `{"OrderId":"${id}","Amount":${amountOf(sequence)}}`;
    sequence += 1;
    return { id, body };
  };
}

/** Event number `sequence` of `type`, as its producer in the shop would write it. */
export function inputEvent(type: InputEventType, tag: string, sequence: number): CloudEvent {
  const orderId = `${tag}-${sequence}`;
  const origin = { source: 'webshop/bench', correlationId: orderId };
  switch (type) {
    case 'webshop.order.created':
      return createEvent(type, { orderId, amount: amountOf(sequence) }, origin);
    case 'webshop.payment.completed':
      return createEvent(type, { orderId, amount: amountOf(sequence), paymentId: randomUUID() }, origin);
    case 'webshop.payment.failed':
      return createEvent(
        type,
        {
          orderId,
          amount: 350,
          reason: 'insufficient_funds',
          message: 'Payment failed due to insufficient funds',
        },
        origin,
      );
  }
}
