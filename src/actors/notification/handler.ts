// The notification actor: alerts the customer whose payment failed (here: a warning log line) and
// records that the customer was notified.
import type { ActorDefinition } from '../types.js';

export const notificationActor: ActorDefinition<'webshop.payment.failed'> = {
  name: 'notification',
  groupId: 'notification',
  inputs: ['payment_failed'],
  emits: ['webshop.notification.sent'],
  accepts: ['webshop.payment.failed'],
  handle(event, { log }) {
    const { orderId, amount, reason } = event.data;
    log.warn('payment failure alert', { amount, reason });
    const message = `Your payment of ${amount.toFixed(2)} for order ${orderId} failed: insufficient funds.`;
    return [{ type: 'webshop.notification.sent', data: { orderId, channel: 'email', message } }];
  },
};
