// The shop both cluster scenarios run: the fault tests' shop on the cluster, an admin client, and a promise that
// every broker runs again after the test, whatever happened in it.
import type { TestContext } from 'node:test';
import { createAdmin } from '../../src/kafka/client.js';
import { createFaultShop, faultSettings } from '../faults/fault-shop.js';
import { nodeCommand, nodes, nodeUp } from './cluster-control.js';

export const ackTimeoutMs = Number(faultSettings.ORDER_ACK_TIMEOUT_MS);
// The order service promises an answer (201, or 503) within ORDER_ACK_TIMEOUT_MS; the slack is what scheduling on
// a shared 2-core machine may add to it (at a load average near 70 answers took 3.7 s for a 2 s bound). A figure of
// speed belongs to the bench: this bound only catches an answer the service's own timeout did not end.
export const answerSlackMs = 5000;

/**
 * Starts the shop (order service and the payment, shipping and notification actors) on the cluster.
 * @example const { shop, admin, url, actors } = await clusterShop(t);
 */
export async function clusterShop(t: TestContext) {
  const shop = await createFaultShop(t);
  const admin = createAdmin(shop.config, shop.log, 'cluster-test');
  await admin.connect();
  t.after(async () => {
    // Whatever happened, the next test gets all three brokers back.
    for (const node of nodes) if (!(await nodeUp(node))) await nodeCommand(node, 'start').catch(() => undefined);
    await admin.disconnect();
  });
  const url = await shop.startShop();
  const actors = ['payment', 'shipping', 'notification'].map((label) => shop.process(label));
  return { shop, admin, url, actors };
}
