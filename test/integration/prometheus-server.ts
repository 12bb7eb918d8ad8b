// A real Prometheus server for the integration tests (Debian's prometheus package): loopback only, a free port,
// a temporary config and data directory, scraping the given targets every second; stopped after the test.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort, waitFor } from '../helpers.js';

/** One sample of an instant query: its labels and its value. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  url: string;
  /** Runs an instant PromQL query through the HTTP API (`/api/v1/query`). */
  query(expression: string): Promise<Sample[]>;
}

export const prometheusInstallHint =
  "the prometheus server is missing: install Debian's prometheus package (apt-get install -y prometheus)";

/**
 * Starts Prometheus scraping `targets` (job name -> port on 127.0.0.1) and waits until it is ready.
 * @example const prometheus = await startPrometheus(t, { order: 40001, payment: 40002 });
 */
export async function startPrometheus(t: TestContext, targets: Record<string, number>): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'webshop-prometheus-'));
  const scrapeConfigs = Object.entries(targets)
    .map(([job, port]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`)
    .join('');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrapeConfigs}`,
  );
  const port = await freePort();
  const server = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  server.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = once(server, 'exit');
  const failed = once(server, 'error').then(([error]) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(prometheusInstallHint) : error;
  });
  t.after(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    failed,
    waitFor('Prometheus to be ready', async () => {
      if (server.exitCode !== null) throw new Error(`prometheus exited ${server.exitCode}: ${output}`);
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
    }),
  ]);
  return {
    url,
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expression })}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${expression} failed: ${body.error}`);
      return (body.data?.result ?? []).map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
    },
  };
}
