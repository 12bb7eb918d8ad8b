// What the Docker test uses to drive the stack as a user does (make targets) and to look at it as Docker sees it:
// the containers of the compose project by their labels, their state, health, mounts and logs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const project = process.env.DOCKER_PROJECT ?? 'kafka-webshop';
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
  ms: number;
}

/**
 * Runs a command from the repository root and collects its output; with `echo`, its lines are also written to
 * stderr as they come (progress of a long `make up`). Never rejects: the caller asserts on `code`.
 */
export function run(
  command: string,
  args: string[],
  options: { echo?: boolean; timeoutMs?: number } = {},
): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (options.echo) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 1_800_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started });
    });
  });
}

/** `make <target> VAR=value ...` as a user types it. */
export function make(target: string, vars: Record<string, string> = {}, echo = false): Promise<Ran> {
  const assignments = Object.entries(vars).map(([name, value]) => `${name}=${value}`);
  return run('make', ['--no-print-directory', target, ...assignments], { echo });
}

/** `docker ...`, failing with its output when it fails. */
export async function docker(...args: string[]): Promise<string> {
  const result = await run('docker', args, { timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${String(result.code)}):\n${result.output}`);
  return result.output;
}

/** Names of the project's containers, all or one service's, running or not. */
export async function containers(service?: string): Promise<string[]> {
  const filters = ['--filter', `label=com.docker.compose.project=${project}`];
  if (service) filters.push('--filter', `label=com.docker.compose.service=${service}`);
  const names = await docker('ps', '-a', ...filters, '--format', '{{.Names}}');
  return names.split('\n').filter(Boolean).sort();
}

export interface ContainerState {
  name: string;
  status: string;
  health?: string;
  exitCode: number;
  restartCount: number;
  startedAt: string;
  /** When its process last exited (RFC 3339); kept after a restart. */
  finishedAt: string;
  mounts: { Type: string; Name?: string; Destination: string }[];
}

/** What `docker inspect` says of a container. */
export async function inspect(name: string): Promise<ContainerState> {
  const [info] = JSON.parse(await docker('inspect', name)) as {
    Name: string;
    RestartCount: number;
    State: { Status: string; ExitCode: number; StartedAt: string; FinishedAt: string; Health?: { Status: string } };
    Mounts: ContainerState['mounts'];
  }[];
  return {
    name: info.Name.replace(/^\//, ''),
    status: info.State.Status,
    health: info.State.Health?.Status,
    exitCode: info.State.ExitCode,
    restartCount: info.RestartCount,
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
    mounts: info.Mounts,
  };
}

/** A container's log lines (stdout and stderr), optionally only those since an RFC 3339 time. */
export async function logLines(name: string, since?: string): Promise<string[]> {
  const result = await run('docker', ['logs', ...(since ? ['--since', since] : []), name], { timeoutMs: 60_000 });
  return result.output.split('\n').filter(Boolean);
}

/**
 * Prints what a failed step needs to be told apart: each container of `services` with its state and restarts, its
 * warnings and errors (the last `tail`) and its last `tail` lines. The stack is removed after the suite.
 */
export async function printServiceLogs(services: readonly string[], tail = 40): Promise<void> {
  for (const service of services) {
    for (const name of await containers(service)) {
      const { status, restartCount } = await inspect(name);
      const lines = await logLines(name);
      // The notification actor's alerts are warnings by design: they would hide the rest.
      const notable = lines.filter((line) => /\b(warn|error)\b/.test(line) && !line.includes('payment failure alert'));
      console.log(
        `\n--- ${name}: ${status}, ${restartCount} restarts, ${notable.length} warnings and errors; the last:`,
      );
      for (const line of notable.slice(-tail)) console.log(line);
      console.log(`--- ${name}: its last ${tail} lines`);
      for (const line of lines.slice(-tail)) console.log(line);
    }
  }
}

/** Names of the volumes the engine has. */
export async function volumes(): Promise<Set<string>> {
  return new Set((await docker('volume', 'ls', '-q')).split('\n').filter(Boolean));
}

/**
 * What `make down VOLUMES=1` must leave of the project's stack: no container, volume or network, and no volume that
 * was not there before the suite (`volumesBefore`, from stackSuite).
 */
export async function assertStackRemoved(volumesBefore: ReadonlySet<string>): Promise<void> {
  assert.deepEqual(await containers(), []);
  const label = `label=com.docker.compose.project=${project}`;
  assert.equal((await docker('volume', 'ls', '-q', '--filter', label)).trim(), '');
  assert.equal((await docker('network', 'ls', '-q', '--filter', label)).trim(), '');
  const leaked = [...(await volumes())].filter((name) => !volumesBefore.has(name));
  assert.deepEqual(leaked, [], 'volumes created by the run and still there');
}

/** Which consumer of a group holds each partition of a topic, from the broker's own tool in the Kafka container. */
export async function partitionOwners(
  kafkaContainer: string,
  group: string,
  topic: string,
): Promise<Map<number, string>> {
  const result = await run('docker', [
    'exec',
    kafkaContainer,
    '/opt/kafka/bin/kafka-consumer-groups.sh',
    '--bootstrap-server',
    'localhost:9092',
    '--describe',
    '--group',
    group,
  ]);
  const owners = new Map<number, string>();
  for (const line of result.output.split('\n')) {
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    const [lineGroup, lineTopic, partition, , , , consumerId] = line.trim().split(/\s+/);
    if (lineGroup === group && lineTopic === topic && consumerId && consumerId !== '-') {
      owners.set(Number(partition), consumerId);
    }
  }
  return owners;
}

/** Seconds with one decimal, for the printed figures. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export interface TopicDescription {
  replicationFactor: number;
  /** The topic's own configs (those set on it), as `kafka-topics.sh --describe` lists them. */
  configs: Record<string, string>;
  partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[];
}

/** Every topic (internal ones too) as the broker's own `kafka-topics.sh --describe` tells it, in a Kafka container. */
export async function describeTopics(kafkaContainer: string): Promise<Map<string, TopicDescription>> {
  const output = await docker(
    'exec',
    kafkaContainer,
    '/opt/kafka/bin/kafka-topics.sh',
    '--bootstrap-server',
    'localhost:19092',
    '--describe',
  );
  const field = (line: string, name: string): string => new RegExp(`\\b${name}: ?(\\S*)`).exec(line)?.[1] ?? '';
  const ids = (text: string): number[] => text.split(',').filter(Boolean).map(Number);
  const topics = new Map<string, TopicDescription>();
  for (const line of output.split('\n')) {
    const topic = field(line, 'Topic');
    if (!topic) continue;
    if (!line.startsWith('\t')) {
      const configs = field(line, 'Configs');
      topics.set(topic, {
        replicationFactor: Number(field(line, 'ReplicationFactor')),
        configs: Object.fromEntries(
          configs ? configs.split(',').map((pair) => pair.split('=') as [string, string]) : [],
        ),
        partitions: [],
      });
    } else {
      topics.get(topic)?.partitions.push({
        partition: Number(field(line, 'Partition')),
        leader: Number(field(line, 'Leader')),
        replicas: ids(field(line, 'Replicas')),
        isr: ids(field(line, 'Isr')),
      });
    }
  }
  return topics;
}

/** One topic of `describeTopics`; fails naming the topic when the broker does not list it. */
export async function describeTopic(kafkaContainer: string, topic: string): Promise<TopicDescription> {
  const found = (await describeTopics(kafkaContainer)).get(topic);
  if (!found) throw new Error(`kafka-topics.sh --describe in ${kafkaContainer} does not list ${topic}`);
  return found;
}

/**
 * A suite's frame: before it, a Docker engine answers and no stack of the project exists (the engine's volumes
 * are noted); after it, `make down` with `downVars` if a container is left, then the figures under `title()`.
 * Returns the volumes the engine had before, to tell the suite's own leftovers from the rest.
 */
export function stackSuite(
  downVars: Record<string, string>,
  title: () => Promise<string>,
  figures: readonly [string, string][],
): () => ReadonlySet<string> {
  let volumesBefore = new Set<string>();
  before(async () => {
    await docker('info', '--format', '{{.ServerVersion}}');
    const existing = await containers();
    assert.deepEqual(existing, [], `a ${project} stack exists already: run make down first (${existing.join(', ')})`);
    volumesBefore = await volumes();
  });
  after(async () => {
    if ((await containers()).length > 0) await make('down', downVars);
    const width = Math.max(0, ...figures.map(([name]) => name.length));
    console.log(`\n${await title()}:`);
    for (const [name, value] of figures) console.log(`  ${name.padEnd(width)} ${value}`);
  });
  return () => volumesBefore;
}
