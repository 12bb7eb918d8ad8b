// The live page in a real browser (Debian's chromium, driven by playwright-core, which never downloads one) on the
// real broker: orders placed through the form reach their terminal stage on the board, counted by stage.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { createProducer } from '../../src/kafka/client.js';
import { produce } from '../../src/kafka/produce.js';
import { createShop } from './shop.js';

const executablePath = '/usr/bin/chromium';
const outputDirectory = join('.run', 'test-output');
const terminalWithinMs = 30000;

async function placeThroughForm(page: Page, orderId: string, amount: number): Promise<void> {
  await page.getByLabel('Amount').fill(String(amount));
  await page.getByLabel(/Order id/).fill(orderId);
  await page.getByRole('button', { name: 'Place order' }).press('Enter');
  await page
    .getByRole('status')
    .filter({ hasText: `Order ${orderId} placed.` })
    .waitFor({ timeout: 10000 });
}

const count = async (page: Page, name: string): Promise<string | null> =>
  page.locator(`[data-count="${name}"]`).textContent();

test('orders placed on the live page reach their terminal stage on the board, counted by stage, with the dead letters', async (t) => {
  const shop = await createShop(t);
  const { url } = await shop.startOrderService();
  await Promise.all(
    [paymentActor, shippingActor, notificationActor, statusActor].map((actor) => shop.startActor(actor)),
  );
  const profile = mkdtempSync(join(tmpdir(), 'live-page-chromium-'));
  // A fresh profile per run: nothing carried over from an earlier run or the machine's own browser.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    viewport: { width: 420, height: 900 },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
  t.after(async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/`);
  await page.locator('#connection').filter({ hasText: 'live' }).waitFor({ timeout: 10000 });

  await placeThroughForm(page, 'page-350', 350);
  await placeThroughForm(page, 'page-50', 50);

  // Each row ends at its last stage with its amount; the status actor may fold an order's last event before the
  // one that carries the amount, so a row can show the stage first and the amount a change later.
  const failed = page
    .locator('tr[data-order-id="page-350"][data-status="customer_notified"]')
    .filter({ hasText: /page-350\s*350\.00.*Notified/ });
  const shipped = page
    .locator('tr[data-order-id="page-50"][data-status="shipped"]')
    .filter({ hasText: /page-50\s*50\.00.*Shipped/ });
  await failed.waitFor({ timeout: terminalWithinMs });
  await shipped.waitFor({ timeout: terminalWithinMs });
  assert.deepEqual(
    await Promise.all(
      ['created', 'paid', 'shipped', 'payment_failed', 'customer_notified', 'dead-letters'].map((name) =>
        count(page, name),
      ),
    ),
    ['0', '0', '1', '0', '1', '0'],
  );
  assert.equal(await page.locator('#board').getAttribute('aria-live'), 'polite');

  // A message no actor can read: the payment and the status actor, both reading order_created, each send it to
  // dead_letter, and the page's count follows.
  const producer = createProducer(shop.config, shop.log, 'poison-writer');
  await producer.connect();
  t.after(() => producer.disconnect());
  await produce(producer, [
    { topic: shop.topic('order_created'), key: 'poison', value: Buffer.from('{not json'), headers: {} },
  ]);
  await page.locator('[data-count="dead-letters"]').filter({ hasText: /^2$/ }).waitFor({ timeout: terminalWithinMs });
  assert.deepEqual(pageErrors, []);

  mkdirSync(outputDirectory, { recursive: true });
  await page.screenshot({ path: join(outputDirectory, 'live-page.png'), fullPage: true });
});
