// What a result depends on besides the code: the machine (cores, memory, OS), the runtimes and the
// versions of Kafka and of the client, read from the files the project installs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  java: string;
  kafka: string;
  client: string;
  librdkafka: string;
  /** The commit measured, `+changes` when src/ or config/ differ from it. */
  commit: string;
}

const repoFile = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0]?.trim() || 'unknown';
}

/** Reads the machine and versions once, at the start of a run. */
export function describeMachine(): Machine {
  const client = JSON.parse(repoFile('node_modules/@confluentinc/kafka-javascript/package.json')) as {
    version: string;
    librdkafka: string;
  };
  const kafka = /<kafka\.version>([^<]+)</.exec(repoFile('deploy/kafka/pom.xml'))?.[1] ?? 'unknown';
  const changed = spawnSync('git', ['status', '--porcelain', '--', 'src', 'config'], { encoding: 'utf8' }).stdout;
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: firstLine('java', ['-version']),
    kafka: `Apache Kafka ${kafka} (KRaft, one node, deploy/kafka/kafka.sh)`,
    client: `@confluentinc/kafka-javascript ${client.version}`,
    librdkafka: client.librdkafka,
    commit: `${firstLine('git', ['rev-parse', '--short', 'HEAD'])}${changed?.trim() ? '+changes' : ''}`,
  };
}
