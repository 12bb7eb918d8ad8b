// The payment actor: charges an order and says whether it worked. Orders above the payment limit fail
// (the original demo's rule, kept on purpose so both flows are easy to show). PAYMENT_FAILURE_RATE makes
// the gateway call fail now and then, to show retries.
import { WebshopError } from '../../errors.js';
import type { ActorDefinition } from '../types.js';

export const paymentActor: ActorDefinition<'webshop.order.created'> = {
  name: 'payment',
  groupId: 'payment',
  inputs: ['order_created'],
  emits: ['webshop.payment.completed', 'webshop.payment.failed'],
  accepts: ['webshop.order.created'],
  handle(event, { config, log, newId, random }) {
    const { orderId, amount } = event.data;
    if (config.paymentFailureRate > 0 && random() < config.paymentFailureRate) {
      throw new WebshopError('PAYMENT_GATEWAY_UNAVAILABLE', 'the payment gateway did not answer (injected fault)', {
        retriable: true,
      });
    }
    if (amount > config.paymentLimit) {
      log.info('payment failed', { amount, limit: config.paymentLimit, reason: 'insufficient_funds' });
      return [
        {
          type: 'webshop.payment.failed',
          data: { orderId, amount, reason: 'insufficient_funds', message: 'Payment failed due to insufficient funds' },
        },
      ];
    }
    const paymentId = newId();
    log.info('payment completed', { amount, paymentId });
    return [{ type: 'webshop.payment.completed', data: { orderId, amount, paymentId } }];
  },
};
