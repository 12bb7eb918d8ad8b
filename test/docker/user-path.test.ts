// `make test-docker`: the user's own path on a real Docker engine, step by step as the README tells it: make up,
// both flows through the API and the topics, each actor's story in its docker logs, make scale, a crash inside a
// container restarted by the restart policy, a warm restart, make down VOLUMES=1 leaving nothing behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertStackRemoved,
  containers,
  docker,
  inspect,
  logLines,
  make,
  partitionOwners,
  project,
  run,
  seconds,
  stackSuite,
} from './stack.js';
import { waitFor } from '../helpers.js';

const appImage = 'kafka-webshop:local';
const nodeImage = 'node:24.21.0-bookworm-slim';
/** What the app adds to the Node base image (code, node_modules, tini and libraries); the README states it. */
const appLayersTargetMb = 150;
const figures: [string, string][] = [];
const volumesBefore = stackSuite(
  { VOLUMES: '1' },
  async () => `make test-docker figures (${await composeVersion()})`,
  figures,
);

/** The compose implementation make uses (deploy/test-docker.sh is given it by the Makefile) and its version. */
async function composeVersion(): Promise<string> {
  const [command, ...args] = (process.env.COMPOSE_COMMAND ?? 'docker compose').split(' ');
  return `${[command, ...args].join(' ')} ${(await run(command, [...args, 'version', '--short'])).output.trim()}`;
}

/** The one container of a service (the first when scaled). */
async function container(service: string): Promise<string> {
  const [name] = await containers(service);
  assert.ok(name, `a container of ${service}`);
  return name;
}

/** The readable log line format of LOG_FORMAT=pretty: time, level, [service], message, key=value fields. */
const logLine = /^\d\d:\d\d:\d\d\.\d{3} (error|warn|info|debug) \[[a-z]+\] /;

/** Places an order with `make order`, checks the story line it prints, and returns the order id. */
async function placeOrder(amount: number, story: string, topics: string[]): Promise<string> {
  const result = await make('order', { AMOUNT: String(amount) });
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /^201 /m, result.output);
  const match = /^order (\S+): (.*)$/m.exec(result.output);
  assert.ok(match, `a story line in:\n${result.output}`);
  assert.ok(match[2].startsWith(story), `'${match[2]}' tells '${story}'`);
  for (const topic of topics) assert.match(result.output, new RegExp(`^  \\+\\d+ ms  ${topic} `, 'm'), result.output);
  return match[1];
}

/** Waits until a service's log has a line with `message` for the order, and returns that line. */
function loggedFor(service: string, message: string, orderId: string, since?: string): Promise<string> {
  return waitFor(
    `${service} to log '${message}' for ${orderId}`,
    async () =>
      (await logLines(await container(service), since)).find(
        (line) => line.includes(`] ${message} `) && line.includes(`orderId=${orderId}`),
      ),
    30_000,
    1000,
  );
}

test('make up builds the image and brings Kafka, the topics and the five services up healthy, printing no error', async () => {
  await run('docker', ['image', 'rm', '--force', appImage]);
  const up = await make('up', {}, true);
  figures.push(['cold make up (image rebuilt, build cache kept)', seconds(up.ms)]);
  assert.equal(up.code, 0, up.output);
  const errors = up.output.split('\n').filter((line) => /\berror\b|pull access denied/i.test(line));
  assert.deepEqual(errors, [], 'make up prints no error line (e.g. a pull of the shared app image)');
  for (const service of ['order', 'payment', 'shipping', 'notification', 'status']) {
    assert.equal((await inspect(await container(service))).health, 'healthy', service);
  }
  const topics = await inspect(await container('topics'));
  assert.deepEqual([topics.status, topics.exitCode], ['exited', 0], 'the topics container created the topics');
});

test('the app image adds less than its size target to the Node image and runs node as a non-root user under tini', async () => {
  const size = async (image: string): Promise<number> =>
    Number(await docker('image', 'inspect', '--format', '{{.Size}}', image));
  const appMb = (await size(appImage)) / 1e6;
  const addedMb = appMb - (await size(nodeImage)) / 1e6;
  figures.push(['app image (added to the Node image)', `${appMb.toFixed(0)} MB (${addedMb.toFixed(0)} MB)`]);
  assert.ok(addedMb < appLayersTargetMb, `the app adds ${addedMb.toFixed(0)} MB, target < ${appLayersTargetMb} MB`);
  const payment = await container('payment');
  assert.notEqual((await docker('exec', payment, 'id', '-u')).trim(), '0');
  assert.equal((await docker('exec', payment, 'cat', '/proc/1/comm')).trim(), 'tini');
});

test('the actors run node on jemalloc, as the stack preloads it, and the order service on glibc malloc', async () => {
  // The service's node process (not tini, not this exec's node): which allocator its memory map holds.
  const script = `
    const fs = require('node:fs');
    const pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p) && +p !== process.pid);
    const service = pids.find((pid) => fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').startsWith('node\\0dist/'));
    const maps = fs.readFileSync('/proc/' + service + '/maps', 'utf8');
    process.stdout.write(maps.includes('/libjemalloc.so.2') ? 'jemalloc' : 'glibc malloc');`;
  for (const service of ['order', 'payment', 'shipping', 'notification', 'status']) {
    const allocator = await docker('exec', await container(service), 'node', '-e', script);
    assert.equal(allocator.trim(), service === 'order' ? 'glibc malloc' : 'jemalloc', `the ${service} service's`);
  }
});

test("node in the app image keeps answering while twenty of its threadpool's threads are held for good", async () => {
  // As an entry point starts: threadpool.js imported first. Opens of a FIFO nobody writes hold their threads, as
  // Kafka calls that never answer do; with libuv's 4 threads the stat after them would never run. The held threads
  // keep node from exiting, so it kills itself once it has answered.
  const script = `
    import '/app/dist/threadpool.js';
    import { writeSync } from 'node:fs';
    import { open, stat } from 'node:fs/promises';
    const fifo = process.argv[1];
    for (let i = 0; i < 20; i += 1) open(fifo, 'r').catch(() => undefined);
    const answer = await Promise.race([
      stat('/app').then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('starved'), 2000)),
    ]);
    writeSync(1, answer);
    process.kill(process.pid, 'SIGKILL');`;
  const payment = await container('payment');
  const fifo = `/tmp/held-${process.pid}`;
  await docker('exec', payment, 'mkfifo', fifo);
  try {
    const probe = await run('docker', ['exec', payment, 'node', '--input-type=module', '-e', script, fifo]);
    assert.equal(probe.output, 'answered');
  } finally {
    await docker('exec', payment, 'rm', '-f', fifo);
  }
});

test('no container of the stack has an anonymous volume: only the named Kafka data volume is mounted', async () => {
  for (const name of await containers()) {
    const volumeMounts = (await inspect(name)).mounts.filter((mount) => mount.Type === 'volume');
    for (const mount of volumeMounts) {
      assert.match(mount.Name ?? '', new RegExp(`^${project}_kafka-data$`), `${name} mounts ${mount.Destination}`);
    }
  }
});

test('a healthy start logs readable lines and no warning or error in any service', async () => {
  for (const service of ['order', 'payment', 'shipping', 'notification', 'status']) {
    const lines = await logLines(await container(service));
    assert.ok(lines.length > 0, `${service} logged its start`);
    assert.deepEqual(
      lines.filter((line) => !logLine.test(line)),
      [],
      `${service}: every line is a readable line`,
    );
    assert.deepEqual(
      lines.filter((line) => / (warn|error) \[/.test(line)),
      [],
      `${service}: no warning or error`,
    );
  }
});

test('make order AMOUNT=350 answers 201 and ends payment failed -> customer notified, as payment and notification log it', async () => {
  const orderId = await placeOrder(350, 'created -> payment failed (insufficient funds) -> customer notified', [
    'order_created',
    'payment_failed',
    'notification_sent',
  ]);
  await loggedFor('order', 'order created', orderId);
  assert.match(await loggedFor('payment', 'payment failed', orderId), /reason=insufficient_funds/);
  assert.match(await loggedFor('notification', 'payment failure alert', orderId), / warn \[notification\] /);
  const shipping = await logLines(await container('shipping'));
  assert.equal(shipping.filter((line) => line.includes(orderId)).length, 0, 'shipping does nothing for it');
});

test('the order service in the container serves the status of an order and the live page', async () => {
  const orderId = await placeOrder(350, 'created -> payment failed (insufficient funds) -> customer notified', []);
  const status = await fetch(`http://127.0.0.1:5001/orders/${orderId}?wait=terminal&timeout=10000`);
  assert.equal(status.status, 200);
  const record = (await status.json()) as { status: string; history: unknown[] };
  assert.equal(record.status, 'customer_notified');
  assert.equal(record.history.length, 3);
  const page = await fetch('http://127.0.0.1:5001/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await page.text(), /<form id="order-form">/);
  assert.equal((await fetch('http://127.0.0.1:5001/page/app.js')).status, 200);
});

test('make order AMOUNT=50 answers 201 and ends payment completed -> shipped, as payment and shipping log it', async () => {
  const orderId = await placeOrder(50, 'created -> payment completed -> shipped', [
    'order_created',
    'payment_completed',
    'order_shipped',
  ]);
  assert.match(await loggedFor('payment', 'payment completed', orderId), /paymentId=/);
  assert.match(await loggedFor('shipping', 'order shipped', orderId), /shipmentId=/);
  const notification = await logLines(await container('notification'));
  assert.equal(notification.filter((line) => line.includes(orderId)).length, 0, 'notification does nothing for it');
});

test('make scale PAYMENT=3 runs three healthy payment instances sharing the partitions, and PAYMENT=1 goes back to one', async () => {
  const kafka = await container('kafka');
  const topicsStarted = (await inspect(await container('topics'))).startedAt;
  const up = await make('scale', { PAYMENT: '3' });
  figures.push(['make scale PAYMENT=3 (until healthy)', seconds(up.ms)]);
  assert.equal(up.code, 0, up.output);
  const payments = await containers('payment');
  assert.equal(payments.length, 3, payments.join(', '));
  for (const name of payments) assert.equal((await inspect(name)).health, 'healthy', name);
  const shared = await waitFor(
    '6 partitions shared by 3 payment instances',
    async () => {
      const owners = await partitionOwners(kafka, 'payment', 'order_created');
      return owners.size === 6 && new Set(owners.values()).size === 3 ? owners : undefined;
    },
    60_000,
    1000,
  );
  const counts = [...new Set(shared.values())].map((owner) => [...shared.values()].filter((o) => o === owner).length);
  figures.push(['order_created partitions per payment instance', counts.sort().join('/')]);
  assert.equal(
    (await inspect(await container('topics'))).startedAt,
    topicsStarted,
    'the topics container did not run again',
  );
  await placeOrder(50, 'created -> payment completed -> shipped', ['payment_completed']);

  const down = await make('scale', { PAYMENT: '1' });
  assert.equal(down.code, 0, down.output);
  assert.equal((await containers('payment')).length, 1);
  await waitFor(
    'one payment instance holding all 6 partitions',
    async () => {
      const owners = await partitionOwners(kafka, 'payment', 'order_created');
      return owners.size === 6 && new Set(owners.values()).size === 1 ? true : undefined;
    },
    60_000,
    1000,
  );
  await placeOrder(350, 'created -> payment failed (insufficient funds) -> customer notified', ['payment_failed']);
});

test('a crash of the node process in an actor container is restarted by the restart policy and processes orders again', async () => {
  const payment = await container('payment');
  const before = await inspect(payment);
  // The actor's node process, not tini (PID 1) and not this exec's own node. The exec may end with the
  // container (exit 137) before it reports.
  await run('docker', [
    'exec',
    payment,
    'node',
    '-e',
    `
    const fs = require('node:fs');
    for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p) && p !== '1' && +p !== process.pid)) {
      const cmd = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8');
      if (cmd.startsWith('node\\0dist/actors/')) process.kill(+pid, 'SIGKILL');
    }`,
  ]);
  const crashed = performance.now();
  const after = await waitFor(
    'the payment container restarted and healthy',
    async () => {
      const state = await inspect(payment);
      return state.restartCount > before.restartCount && state.health === 'healthy' ? state : undefined;
    },
    120_000,
    1000,
  );
  figures.push(['healthy again after kill -9 in the container', seconds(performance.now() - crashed)]);
  assert.notEqual(after.startedAt, before.startedAt);
  // Recovery as a user sees it, not as the 10 s health check samples it: from the process's death (the
  // container's FinishedAt) to the restarted actor's 'partitions assigned' line, as Docker timestamped it.
  const assigned = await waitFor(
    'the restarted payment actor to log partitions assigned',
    async () =>
      (await run('docker', ['logs', '--timestamps', '--since', after.startedAt, payment])).output
        .split('\n')
        .find((line) => line.includes('] partitions assigned')),
    30_000,
    500,
  );
  figures.push([
    'partitions held again after kill -9 (restart policy)',
    seconds(Date.parse(assigned.split(' ')[0]) - Date.parse(after.finishedAt)),
  ]);
  const orderId = await placeOrder(50, 'created -> payment completed -> shipped', ['payment_completed']);
  await loggedFor('payment', 'payment completed', orderId, after.startedAt);
});

test('docker stop ends an actor gracefully with exit code 0, and a warm make up brings the whole stack back', async () => {
  const shipping = await container('shipping');
  const stop = await run('docker', ['stop', shipping]);
  assert.equal(stop.code, 0, stop.output);
  figures.push(['docker stop of an actor', seconds(stop.ms)]);
  assert.equal((await inspect(shipping)).exitCode, 0);

  const down = await make('down');
  assert.equal(down.code, 0, down.output);
  const up = await make('up');
  figures.push(['warm make up (after make down)', seconds(up.ms)]);
  assert.equal(up.code, 0, up.output);
  await placeOrder(350, 'created -> payment failed (insufficient funds) -> customer notified', ['notification_sent']);
});

test('make down VOLUMES=1 leaves no container, volume or network of the stack, and no anonymous volume', async () => {
  const down = await make('down', { VOLUMES: '1' });
  assert.equal(down.code, 0, down.output);
  await assertStackRemoved(volumesBefore());
});
