// The process list of `make dev`: names, entry points, and each instance's own port setting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devProcesses } from '../../src/cli/dev-processes.js';
import { defaultConfig } from '../../src/config.js';

test('make dev runs the order service first, then each actor instance on its port + 10 per instance', () => {
  const processes = devProcesses(defaultConfig, { payment: 3, shipping: 1, notification: 2, status: 1 });
  assert.deepEqual(
    processes.map(({ name, main, port, env }) => [name, main, port, env]),
    [
      ['order', 'dist/order/main.js', 5001, { ORDER_PORT: '5001' }],
      ['payment', 'dist/actors/payment/main.js', 5002, { PAYMENT_PORT: '5002' }],
      ['payment-2', 'dist/actors/payment/main.js', 5012, { PAYMENT_PORT: '5012' }],
      ['payment-3', 'dist/actors/payment/main.js', 5022, { PAYMENT_PORT: '5022' }],
      ['shipping', 'dist/actors/shipping/main.js', 5003, { SHIPPING_PORT: '5003' }],
      ['notification', 'dist/actors/notification/main.js', 5004, { NOTIFICATION_PORT: '5004' }],
      ['notification-2', 'dist/actors/notification/main.js', 5014, { NOTIFICATION_PORT: '5014' }],
      ['status', 'dist/actors/status/main.js', 5005, { STATUS_PORT: '5005' }],
    ],
  );
});

test('an actor with 0 instances is left out', () => {
  const names = devProcesses(defaultConfig, { payment: 1, shipping: 0, notification: 1, status: 0 }).map(
    ({ name }) => name,
  );
  assert.deepEqual(names, ['order', 'payment', 'notification']);
});
