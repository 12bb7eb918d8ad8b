// The HTTP ports of a fault test's processes: below the kernel's ephemeral range (32768-60999 on Linux, 49152+ on
// macOS), so that no outgoing connection or port-0 listener on the machine takes a port while its process restarts.
import { createServer } from 'node:net';

/** The ports to pick from: FAULTS_SERVICE_PORTS (`low-high`), 20000-32767 by default. */
export function servicePortRange(setting = process.env.FAULTS_SERVICE_PORTS ?? '20000-32767'): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(setting);
  const [low, high] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(low >= 1024 && high <= 65535 && low <= high)) {
    throw new Error(`FAULTS_SERVICE_PORTS must be low-high between 1024 and 65535, got "${setting}"`);
  }
  return [low, high];
}

const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A port of the range that nobody listens on now and that is not in `taken` (the ports of the shop's other
 * processes, which keep theirs across restarts), picked at random so that concurrent runs rarely meet.
 * @example const port = await servicePort(new Set([20412])); // e.g. 27135
 */
export async function servicePort(taken: ReadonlySet<number>, range = servicePortRange()): Promise<number> {
  const [low, high] = range;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (!taken.has(port) && (await bindable(port))) return port;
  }
  throw new Error(`no free port in ${low}-${high} after 100 tries`);
}
