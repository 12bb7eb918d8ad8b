// The processes `make dev` runs: the order service and N instances of each actor. Instance i of an actor
// listens on its port + 10*i, on every run, so a restarted instance keeps its port and with it its identity.
import { configEnv, type Config } from '../config.js';

export type ActorName = 'payment' | 'shipping' | 'notification' | 'status';

/** How many instances of each actor to run. */
export type Instances = Record<ActorName, number>;

export interface DevProcess {
  /** `order`, `payment`, `payment-2`, ...: the prefix of its lines and the name of its log file. */
  name: string;
  service: 'order' | ActorName;
  /** The compiled entry point (deploy/dev.sh builds dist/ first, as the images do), relative to the repository root. */
  main: string;
  port: number;
  /** The settings that differ between instances (the port). */
  env: Record<string, string>;
}

/**
 * Each service's compiled entry point, relative to the repository root, and the setting of its HTTP port: what
 * `make dev`, the fault tests and the benchmark run, as the images do.
 */
export const serviceEntries = {
  order: { main: 'dist/order/main.js', port: 'orderPort' },
  payment: { main: 'dist/actors/payment/main.js', port: 'paymentPort' },
  shipping: { main: 'dist/actors/shipping/main.js', port: 'shippingPort' },
  notification: { main: 'dist/actors/notification/main.js', port: 'notificationPort' },
  status: { main: 'dist/actors/status/main.js', port: 'statusPort' },
} as const satisfies Record<DevProcess['service'], { main: string; port: keyof Config }>;

/**
 * The processes to run, the order service first.
 * @example devProcesses(config, { payment: 2, shipping: 1, notification: 1 }).map((p) => p.name)
 * // ['order', 'payment', 'payment-2', 'shipping', 'notification']
 */
export function devProcesses(
  config: Pick<Config, 'orderPort' | `${ActorName}Port`>,
  instances: Instances,
): DevProcess[] {
  const instance = (service: DevProcess['service'], index: number): DevProcess => {
    const { main, port: setting } = serviceEntries[service];
    const port = config[setting] + 10 * index;
    const name = index === 0 ? service : `${service}-${index + 1}`;
    return { name, service, main, port, env: { [configEnv[setting]]: String(port) } };
  };
  const actors = (['payment', 'shipping', 'notification', 'status'] as const).flatMap((actor) =>
    Array.from({ length: instances[actor] }, (_, index) => instance(actor, index)),
  );
  return [instance('order', 0), ...actors];
}
