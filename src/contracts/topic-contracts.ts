// What travels on each topic, as the AsyncAPI document tells it: one entry per topic of config/topics.conf with
// its messages (schemas from the code that validates them, and an example), its key, its writers and readers.
import { deadLetterMessage, replayMessage } from './dead-letter-contracts.js';
import { eventMessage, type TopicContract } from './message-contracts.js';
import type { TopicName } from './topics.js';

/** Every topic's contract; a topic added to topicNames needs its entry here (the type says so). */
export const topicContracts: { readonly [T in TopicName]: TopicContract } = {
  order_created: {
    description: 'Orders placed through POST /order, once the broker has acknowledged them.',
    messages: [eventMessage('webshop.order.created', 'webshop/order', 'An order was placed.')],
    producers: ['order'],
    consumers: ['payment', 'status'],
  },
  payment_completed: {
    description: 'Payments taken: the amount was within PAYMENT_LIMIT.',
    messages: [eventMessage('webshop.payment.completed', 'webshop/payment', 'The payment of an order went through.')],
    producers: ['payment'],
    consumers: ['shipping', 'status'],
  },
  payment_failed: {
    description: 'Payments refused: the amount was over PAYMENT_LIMIT.',
    messages: [eventMessage('webshop.payment.failed', 'webshop/payment', 'The payment of an order was refused.')],
    producers: ['payment'],
    consumers: ['notification', 'status'],
  },
  order_shipped: {
    description: 'Orders shipped after their payment.',
    messages: [eventMessage('webshop.order.shipped', 'webshop/shipping', 'An order was shipped.')],
    producers: ['shipping'],
    consumers: ['status'],
  },
  notification_sent: {
    description: 'Customers told that their payment failed.',
    messages: [eventMessage('webshop.notification.sent', 'webshop/notification', 'A customer was notified.')],
    producers: ['notification'],
    consumers: ['status'],
  },
  order_status: {
    description: 'Each order folded into one status record by the status actor; compacted: the latest per order.',
    messages: [eventMessage('webshop.order.status', 'webshop/status', 'The status of an order, as it is now.')],
    producers: ['status'],
    consumers: ['order'],
  },
  dead_letter: {
    description: 'Messages an actor could not use; `make dlq` lists them, `make dlq-replay` re-publishes them.',
    messages: [deadLetterMessage],
    producers: ['payment', 'shipping', 'notification', 'status'],
    consumers: ['dlq'],
  },
  dead_letter_replays: {
    description: 'Which dead letters `make dlq-replay` re-published, so a second run skips them.',
    messages: [replayMessage],
    producers: ['dlq'],
    consumers: ['dlq'],
  },
};
