// `make order` against a running shop: the answer first, then the order's events in the order of the flow with the
// story line and the status from the API, exit 0; a reused OrderId stops at "created" (a duplicate); bad input: 400.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { createShop, type Shop } from './shop.js';

const root = new URL('../../', import.meta.url);

/** Runs src/cli/order.ts the way `make order` does; resolves with its exit code and output lines. */
function orderCli(shop: Shop, port: number, args: string[]): Promise<{ code: number; lines: string[] }> {
  const env = {
    ...process.env,
    KAFKA_BROKERS: shop.config.kafkaBrokers,
    TOPIC_PREFIX: shop.config.topicPrefix,
    ORDER_PORT: String(port),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/order.ts', ...args], { env, cwd: root }, (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, lines: stdout.trimEnd().split('\n') }),
    );
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

test('make order prints the answer, then each event of the order in flow order, then its story and status', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  await Promise.all(
    [paymentActor, shippingActor, notificationActor, statusActor].map((actor) => shop.startActor(actor)),
  );

  const failed = await orderCli(shop, portOf(url), ['--amount=350', '--order-id=cli-350']);
  assert.equal(failed.code, 0, failed.lines.join('\n'));
  assert.match(failed.lines[0]!, /^POST http:\/\/.+\/order \{"OrderId":"cli-350","Amount":350\}$/);
  assert.equal(failed.lines[1], '201 {"status":"success","message":"Order Created","orderId":"cli-350"}');
  assert.deepEqual(
    failed.lines.slice(2, 5).map((line) => line.split(/\s{2,}/).slice(2, 4)),
    [
      [shop.topic('order_created'), 'webshop.order.created'],
      [shop.topic('payment_failed'), 'webshop.payment.failed'],
      [shop.topic('notification_sent'), 'webshop.notification.sent'],
    ],
  );
  assert.equal(failed.lines[5], 'order cli-350: created -> payment failed (insufficient funds) -> customer notified');
  assert.equal(failed.lines[6], 'status cli-350: customer_notified (3 events)');

  const paid = await orderCli(shop, portOf(url), ['--amount=50', '--order-id=cli-50']);
  assert.equal(paid.code, 0, paid.lines.join('\n'));
  assert.match(
    paid.lines.at(-2)!,
    /^order cli-50: created -> payment completed -> shipped \(shipment [0-9a-f-]{36}\)$/,
  );
  assert.equal(paid.lines.at(-1), 'status cli-50: shipped (3 events)');

  const again = await orderCli(shop, portOf(url), ['--amount=50', '--order-id=cli-50']);
  assert.equal(again.code, 1);
  assert.deepEqual(again.lines.slice(-3), [
    'order cli-50: created',
    "gave up after 10 s waiting for the order's terminal event",
    'if OrderId cli-50 was used before, this is a duplicate: it is paid once, not again',
  ]);

  const invalid = await orderCli(shop, portOf(url), ['--amount=-1']);
  assert.equal(invalid.code, 1);
  assert.equal(
    invalid.lines[1],
    '400 {"status":"error","message":"Invalid order","errors":[{"field":"Amount","message":"must be greater than 0"}]}',
  );
});
