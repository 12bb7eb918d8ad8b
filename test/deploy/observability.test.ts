// Checks the observability overlay of `make up OBS=1` without a Docker engine: pinned official images under the
// `observability` profile, the OTLP endpoint only there, Prometheus scraping every app service by compose DNS, and
// Grafana provisioned with the data source and the dashboard, whose queries read metrics the services export.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { configEnv } from '../../src/config.js';
import { createMetrics } from '../../src/metrics.js';
import { dashboard, metricNames, panelQueries } from '../dashboard.js';

interface Service {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}
interface ScrapeConfig {
  job_name: string;
  dns_sd_configs: { names: string[]; type: string; port: number }[];
}

const repoPath = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const yamlOf = <T>(path: string): T => parse(readFileSync(repoPath(path), 'utf8'), { merge: true }) as T;

const base = yamlOf<{ services: Record<string, Service> }>('docker-compose.yml').services;
const overlay = yamlOf<{ services: Record<string, Service> }>('docker-compose.observability.yml').services;
const appServices = ['order', 'payment', 'shipping', 'notification', 'status'];
const observability = {
  prometheus: /^prom\/prometheus:v\d+\.\d+\.\d+$/,
  grafana: /^grafana\/grafana:\d+\.\d+\.\d+$/,
  jaeger: /^jaegertracing\/jaeger:2\.\d+\.\d+$/,
};

/** The host path and container path of each bind mount of `service`. */
const mounts = (service: Service) =>
  (service.volumes ?? []).map((volume) => {
    const [host, container] = volume.split(':');
    return { host: host!, container: container! };
  });

test('the observability profile adds pinned official Prometheus, Grafana and Jaeger v2 on loopback ports', () => {
  for (const [name, image] of Object.entries(observability)) {
    const service = overlay[name];
    assert.ok(service, `docker-compose.observability.yml has no service ${name}`);
    assert.match(service.image ?? '', image, `${name} image`);
    assert.deepEqual(service.profiles, ['observability'], `${name} profiles`);
    for (const port of service.ports ?? []) assert.match(port, /^127\.0\.0\.1:/, `${name} publishes on loopback`);
    for (const { host } of mounts(service)) assert.ok(existsSync(repoPath(host)), `${name} mounts missing ${host}`);
  }
  for (const name of Object.keys(observability)) assert.equal(base[name], undefined, `${name} in docker-compose.yml`);
});

test('only with the overlay do the app services export their traces to Jaeger over OTLP/HTTP', () => {
  const setting = configEnv.otelExporterOtlpEndpoint;
  assert.deepEqual(
    Object.keys(overlay)
      .filter((name) => !(name in observability))
      .sort(),
    [...appServices].sort(),
  );
  for (const name of appServices) {
    assert.deepEqual(overlay[name]!.environment, { [setting]: 'http://jaeger:4318' }, name);
    assert.equal(base[name]!.environment?.[setting], undefined, `${name} exports traces without OBS=1`);
  }
  assert.doesNotMatch(readFileSync(repoPath('deploy/compose.env'), 'utf8'), new RegExp(`^${setting}=`, 'm'));
});

test('Prometheus scrapes every instance of every app service on its health port through compose DNS', () => {
  const { scrape_configs: jobs } = yamlOf<{ scrape_configs: ScrapeConfig[] }>('deploy/observability/prometheus.yml');
  assert.deepEqual(jobs.map((job) => job.job_name).sort(), [...appServices].sort());
  for (const job of jobs) {
    const port = Number(base[job.job_name]!.environment?.HEALTH_PORT);
    assert.deepEqual(
      job.dns_sd_configs.map(({ names, type, port: scraped }) => ({ names, type, port: scraped })),
      [{ names: [job.job_name], type: 'A', port }],
      job.job_name,
    );
  }
  const prometheus = mounts(overlay.prometheus!);
  assert.ok(prometheus.some((mount) => mount.host === './deploy/observability/prometheus.yml'));
});

test('Grafana is provisioned with the Prometheus of the stack and loads the shop dashboard from its mount', () => {
  const grafana = mounts(overlay.grafana!);
  const provisioning = grafana.find((mount) => mount.container === '/etc/grafana/provisioning')!;
  const dir = repoPath(provisioning.host);
  const [datasources] = readdirSync(`${dir}/datasources`);
  const sources = yamlOf<{ datasources: { uid: string; type: string; url: string }[] }>(
    `${provisioning.host}/datasources/${datasources}`,
  ).datasources;
  const prometheus = sources.find((source) => source.type === 'prometheus')!;
  assert.equal(prometheus.url, 'http://prometheus:9090');
  const [providers] = readdirSync(`${dir}/dashboards`);
  const { providers: loaded } = yamlOf<{ providers: { options: { path: string } }[] }>(
    `${provisioning.host}/dashboards/${providers}`,
  );
  const dashboards = grafana.find((mount) => mount.container === loaded[0]!.options.path);
  assert.ok(dashboards, 'the provider path is where the dashboards are mounted');
  assert.ok(readdirSync(repoPath(dashboards.host)).includes('kafka-webshop.json'));
  for (const panel of dashboard.panels) assert.equal(panel.datasource?.uid, prometheus.uid, panel.title);
});

test("every panel's query reads only metrics that the order service and the actors export", async () => {
  const metrics = createMetrics();
  void metrics.order;
  metrics.actor('payment');
  const exported = new Set(
    (await metrics.registry.getMetricsAsJSON()).flatMap(({ name, type }) =>
      String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    ),
  );
  const queries = panelQueries();
  assert.ok(queries.length >= 8, 'the dashboard has its panels');
  for (const { panel, refId, expr } of queries) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `${panel} ${refId} reads no metric: ${expr}`);
    for (const name of names)
      assert.ok(exported.has(name), `${panel} ${refId} reads ${name}, which no service exports`);
  }
});

test('metricNames finds the selected metrics and leaves functions, labels and durations out', () => {
  assert.deepEqual(
    metricNames('histogram_quantile(0.99, sum by (actor, le) (rate(a_bucket{actor=~"x|y"}[30s]))) / on(actor) b_total'),
    ['a_bucket', 'b_total'],
  );
});
