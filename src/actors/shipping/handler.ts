// The shipping actor: ships every paid order (here: logs the shipment) and announces it.
import type { ActorDefinition } from '../types.js';

export const shippingActor: ActorDefinition<'webshop.payment.completed'> = {
  name: 'shipping',
  groupId: 'shipping',
  inputs: ['payment_completed'],
  emits: ['webshop.order.shipped'],
  accepts: ['webshop.payment.completed'],
  handle(event, { log, newId }) {
    const { orderId, amount } = event.data;
    const shipmentId = newId();
    log.info('order shipped', { amount, shipmentId });
    return [{ type: 'webshop.order.shipped', data: { orderId, shipmentId } }];
  },
};
