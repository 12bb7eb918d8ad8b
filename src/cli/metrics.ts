// `make metrics SERVICE=payment`: prints one service's Prometheus metrics from the port `make dev` gives it
// (`payment-2` for the second payment instance), or says that nothing answers there.
import { loadConfigOrExit } from '../config.js';
import { devProcesses } from './dev-processes.js';
import { parseOptions } from './options.js';

// More instances than anyone runs locally: only the names are looked up, nothing is started.
const anyInstance = 20;

const { values } = parseOptions('metrics', { options: { service: { type: 'string', default: 'order' } } });
const config = loadConfigOrExit();
const processes = devProcesses(config, {
  payment: anyInstance,
  shipping: anyInstance,
  notification: anyInstance,
  status: anyInstance,
});
const target = processes.find((candidate) => candidate.name === values.service);
if (target === undefined) {
  console.error(
    `SERVICE must be order, payment, shipping, notification or status (payment-2 for a second instance), not ${values.service}`,
  );
  process.exit(2);
}
// A server bound to every address answers on loopback.
const host = config.httpHost === '0.0.0.0' || config.httpHost === '::' ? '127.0.0.1' : config.httpHost;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${target.port}/metrics`;
try {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  process.stdout.write(await response.text());
} catch (error) {
  console.error(`${target.name} does not answer at ${url} (${(error as Error).message}): is \`make dev\` running?`);
  process.exit(1);
}
