// deploy/k8s/ as a cluster would get it: every overlay rendered by kustomize, validated against the Kubernetes API
// schemas offline, and cross-checked with the code (ports, probes, settings, image, consumer groups, partitions).
// Run by `make test-k8s`, which needs kustomize and kubernetes-validate (deploy/k8s/tools.sh installs both).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkRouting, checkWorkloads } from './checks.js';
import { type Manifest, parseManifests, render, repoPath, validate } from './rendered.js';

const overlays = readdirSync(repoPath('deploy/k8s/overlays'));
const compose = parse(readFileSync(repoPath('docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string }>;
};
/** The image `make images` builds: compose's build of the order service (deploy/docker.mk runs compose build). */
const builtImage = compose.services.order!.image!;

/** The image an overlay must run: the built one on a local cluster, the same repository name elsewhere. */
function expectedImage(overlay: string, manifests: Manifest[]): string {
  if (overlay === 'local') return builtImage;
  const image = manifests.find((m) => m.kind === 'Deployment')!.spec!.template!.spec.containers[0]!.image;
  assert.equal(
    image
      .replace(/:[^/:]+$/, '')
      .split('/')
      .pop(),
    builtImage.split(':')[0],
    `${overlay} runs ${image}`,
  );
  return image;
}

test('there is a local overlay, and make images builds kafka-webshop:local, run as the node user', () => {
  assert.ok(overlays.includes('local'), 'an overlay for a local cluster');
  assert.equal(builtImage, 'kafka-webshop:local');
  assert.match(readFileSync(repoPath('deploy/docker.mk'), 'utf8'), /^images:.*kafka-webshop:local/m);
  assert.match(
    readFileSync(repoPath('deploy/Dockerfile'), 'utf8'),
    /^USER node$/m,
    'the image runs as node (uid 1000)',
  );
});

for (const overlay of overlays) {
  const yaml = render(overlay);
  const manifests = parseManifests(yaml);

  test(`overlay ${overlay}: every object is valid for Kubernetes 1.30 and 1.37; KEDA's ScaledObjects are left to the checks`, () => {
    const { status, output } = validate(yaml);
    assert.equal(status, 0, output);
    assert.doesNotMatch(output, /INVALID/);
    const skipped = [...output.matchAll(/^skipped +ScaledObject\/(\S+)/gm)].map((match) => match[1]).sort();
    assert.deepEqual(skipped, ['notification', 'payment', 'shipping', 'status']);
    assert.match(output, /^valid +Deployment\/order against 1\.37\.0$/m);
  });

  test(`overlay ${overlay}: Deployments and the topics Job run the built image, real commands, probes and settings`, () => {
    assert.deepEqual(checkWorkloads(manifests, expectedImage(overlay, manifests)), []);
  });

  test(`overlay ${overlay}: the Service, the PodDisruptionBudgets and the ScaledObjects point at the right pods and groups`, () => {
    assert.deepEqual(checkRouting(manifests), []);
  });
}

test('the validator rejects a misspelled field and a kind that Kubernetes does not have', () => {
  const broken = render('local')
    .replace('readinessProbe:', 'readinesProbe:')
    .replace('kind: PodDisruptionBudget', 'kind: PodDisruptionBudgett');
  const { status, output } = validate(broken);
  assert.equal(status, 1);
  assert.match(output, /INVALID +Deployment\/\w+ against 1\.30\.0: .*'readinesProbe' was unexpected/);
  assert.match(output, /INVALID +PodDisruptionBudgett\/\w+: Kubernetes 1\.30\.0 has no kind PodDisruptionBudgett/);
});

test('the checks name each broken cross-reference', () => {
  const manifests = parseManifests(render('local'));
  const get = (copy: Manifest[], kind: string, name: string): Manifest =>
    copy.find((m) => m.kind === kind && m.metadata.name === name)!;
  const container = (copy: Manifest[], name: string) =>
    get(copy, 'Deployment', name).spec!.template!.spec.containers[0]!;
  const breakages: [string, (copy: Manifest[]) => void, RegExp][] = [
    ['a probe path', (c) => (container(c, 'payment').readinessProbe!.httpGet!.path = '/ready'), /payment: readinessProbe asks \/ready/],
    ['a probe port', (c) => (container(c, 'status').livenessProbe!.httpGet!.port = 5004), /status: livenessProbe on port 5004/],
    ['a startup probe', (c) => delete container(c, 'order').startupProbe, /order: startupProbe asks undefined/],
    ['an env name', (c) => (container(c, 'order').env = [{ name: 'KAFKA_BROKER' }]), /env KAFKA_BROKER is no setting/],
    ['the allocator', (c) => delete container(c, 'payment').env, /payment: LD_PRELOAD is undefined, not libjemalloc\.so\.2/],
    ['a ConfigMap name', (c) => (c.find((m) => m.kind === 'ConfigMap')!.data!.SHUTDOWN_TIMEOUT = '9000'), /SHUTDOWN_TIMEOUT is no setting/],
    ['a setting', (c) => (c.find((m) => m.kind === 'ConfigMap')!.data!.ORDER_PORT = 'x'), /ORDER_PORT must be integer/],
    ['the image', (c) => (container(c, 'shipping').image = 'kafka-webshop:latest'), /shipping: image kafka-webshop:latest/],
    ['the grace period', (c) => (get(c, 'Deployment', 'order').spec!.template!.spec.terminationGracePeriodSeconds = 12), /order: terminationGracePeriodSeconds 12/],
    ['the root file system', (c) => (container(c, 'notification').securityContext!.readOnlyRootFilesystem = false), /notification: the container may escalate/],
    ['a consumer group', (c) => (get(c, 'ScaledObject', 'payment').spec!.triggers![0]!.metadata.consumerGroup = 'payments'), /payment trigger order_created: group payments/],
    ['a topic', (c) => (get(c, 'ScaledObject', 'status').spec!.triggers![4]!.metadata.topic = 'order_status'), /ScaledObject status: triggers on/],
    ['the bootstrap address', (c) => (get(c, 'ScaledObject', 'shipping').spec!.triggers![0]!.metadata.bootstrapServers = 'kafka:9092'), /bootstrapServers kafka:9092, not KAFKA_BROKERS/],
    ['a scaler parameter', (c) => (get(c, 'ScaledObject', 'shipping').spec!.triggers![0]!.metadata.lagTreshold = '5'), /lagTreshold is no parameter/],
    ['the most replicas', (c) => (get(c, 'ScaledObject', 'notification').spec!.maxReplicaCount = 7), /notification: replicas 1\.\.7, not 1\.\.6/],
    ['a PDB selector', (c) => (get(c, 'PodDisruptionBudget', 'shipping').spec!.selector!.matchLabels = { app: 'shipping' }), /no PodDisruptionBudget selects the shipping pods/],
    ['the Service selector', (c) => (get(c, 'Service', 'order').spec!.selector = { 'app.kubernetes.io/part-of': 'kafka-webshop' }), /Service order does not select the order pods alone/],
  ]; // prettier-ignore
  for (const [what, breakIt, expected] of breakages) {
    const copy = structuredClone(manifests);
    breakIt(copy);
    const problems = (): string[] => [...checkWorkloads(copy, builtImage), ...checkRouting(copy)];
    if (what === 'a setting') assert.throws(problems, expected, what);
    else assert.match(problems().join('\n'), expected, what);
  }
});
