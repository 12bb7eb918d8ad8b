// The cross-references of rendered manifests with the code: each check returns the problems it finds, as sentences
// naming the object, so a test asserts an empty list and a broken copy shows which rule caught it.
import { existsSync } from 'node:fs';
import { type Config, configEnv, loadConfig } from '../../src/config.js';
import { topic, topicDefinitions } from '../../src/contracts/topics.js';
import { notificationActor } from '../../src/actors/notification/handler.js';
import { paymentActor } from '../../src/actors/payment/handler.js';
import { shippingActor } from '../../src/actors/shipping/handler.js';
import { statusActor } from '../../src/actors/status/handler.js';
import { type Container, type Manifest, repoPath } from './rendered.js';

type Actor = Pick<typeof paymentActor, 'name' | 'groupId' | 'inputs'>;
const actors: Actor[] = [paymentActor, shippingActor, notificationActor, statusActor];
const services = [
  { name: 'order', main: 'order/main', port: 'orderPort' },
  ...actors.map((actor) => ({
    name: actor.name,
    main: `actors/${actor.name}/main`,
    port: `${actor.name}Port` as const,
  })),
] satisfies { name: string; main: string; port: keyof Config }[];

// What a container's env may set besides the shop's settings: read by the dynamic linker before node starts.
const processEnvNames = new Set(['LD_PRELOAD']);

/** The KEDA Kafka scaler's trigger parameters (keda.sh docs, scalers/apache-kafka), authentication ones left out. */
export const kafkaScalerParameters = new Set([
  'bootstrapServers',
  'consumerGroup',
  'topic',
  'lagThreshold',
  'activationLagThreshold',
  'offsetResetPolicy',
  'allowIdleConsumers',
  'scaleToZeroOnInvalidOffset',
  'excludePersistentLag',
  'limitToPartitionsWithLag',
  'ensureEvenDistributionOfPartitions',
  'version',
  'partitionLimitation',
  'sasl',
  'tls',
  'unsafeSsl',
]);

const find = (manifests: Manifest[], kind: string, name: string): Manifest | undefined =>
  manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
const ofKind = (manifests: Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The settings the services get: the ConfigMap's data read by src/config.ts's loadConfig (it throws on bad values). */
export function settings(manifests: Manifest[]): Config {
  const [configMap, ...others] = ofKind(manifests, 'ConfigMap');
  if (!configMap || others.length > 0) throw new Error('expected exactly one ConfigMap');
  return loadConfig(configMap.data ?? {});
}

/** A port as a number: a container port's name is looked up in the container. */
const portNumber = (container: Container, port: number | string | undefined): number | undefined =>
  typeof port === 'number' ? port : container.ports?.find((entry) => entry.name === port)?.containerPort;

/** Problems of every Deployment, the topics Job and the env they get, against src/config.ts and the image. */
export function checkWorkloads(manifests: Manifest[], image: string): string[] {
  const problems: string[] = [];
  const config = settings(manifests);
  const envNames = new Set(Object.values(configEnv));
  const configMapNames = new Set(ofKind(manifests, 'ConfigMap').map((m) => m.metadata.name));
  for (const configMap of ofKind(manifests, 'ConfigMap')) {
    for (const name of Object.keys(configMap.data ?? {})) {
      // loadConfig ignores a name it does not know: a misspelled setting would silently keep its default.
      if (!envNames.has(name))
        problems.push(`ConfigMap ${configMap.metadata.name}: ${name} is no setting of src/config.ts`);
    }
  }
  if (config.httpHost !== '0.0.0.0') problems.push(`HTTP_HOST is ${config.httpHost}: probes could not reach it`);
  const workloads = [...ofKind(manifests, 'Deployment'), ...ofKind(manifests, 'Job')];
  for (const workload of workloads) {
    const where = `${workload.kind} ${workload.metadata.name}`;
    const pod = workload.spec?.template;
    if (!pod) continue;
    if (workload.kind === 'Deployment' && !selects(workload.spec?.selector?.matchLabels ?? {}, pod.metadata.labels)) {
      problems.push(`${where}: its selector does not select its own pods`);
    }
    const security = pod.spec.securityContext;
    if (
      security?.runAsNonRoot !== true ||
      security.runAsUser !== 1000 ||
      security.seccompProfile?.type !== 'RuntimeDefault'
    ) {
      problems.push(`${where}: the pod does not run as the image's node user (1000) with RuntimeDefault seccomp`);
    }
    for (const container of pod.spec.containers) {
      if (container.image !== image) problems.push(`${where}: image ${container.image}, not ${image}`);
      const [, script] = container.command ?? [];
      if (!script || !existsSync(repoPath(script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')))) {
        problems.push(`${where}: runs ${script}, which the build does not make`);
      }
      for (const { configMapRef } of container.envFrom ?? []) {
        if (configMapRef && !configMapNames.has(configMapRef.name))
          problems.push(`${where}: no ConfigMap ${configMapRef.name}`);
      }
      for (const { name } of container.env ?? []) {
        if (!envNames.has(name) && !processEnvNames.has(name))
          problems.push(`${where}: env ${name} is no setting of src/config.ts`);
      }
      const context = container.securityContext;
      if (
        context?.allowPrivilegeEscalation !== false ||
        context.readOnlyRootFilesystem !== true ||
        context.capabilities?.drop?.join() !== 'ALL'
      ) {
        problems.push(`${where}: the container may escalate, write its root file system or keep capabilities`);
      }
      const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
      if (!pod.spec.volumes?.some((volume) => volume.name === tmp?.name && volume.emptyDir)) {
        problems.push(`${where}: /tmp is not a writable emptyDir`);
      }
      if (
        !container.resources?.requests?.memory ||
        !container.resources.limits?.memory ||
        !container.resources.limits.cpu
      ) {
        problems.push(`${where}: no memory request and memory and cpu limits`);
      }
    }
  }
  for (const service of services) {
    const deployment = find(manifests, 'Deployment', service.name);
    const container = deployment?.spec?.template?.spec.containers[0];
    if (!deployment || !container) {
      problems.push(`no Deployment ${service.name}`);
      continue;
    }
    const where = `Deployment ${service.name}`;
    const port = config[service.port];
    if (container.command?.join(' ') !== `node dist/${service.main}.js`)
      problems.push(`${where}: does not run ${service.main}`);
    const probes = [
      ['readinessProbe', '/readyz'],
      ['livenessProbe', '/healthz'],
      ['startupProbe', '/healthz'],
    ] as const;
    for (const [probe, path] of probes) {
      const get = container[probe]?.httpGet;
      if (get?.path !== path) problems.push(`${where}: ${probe} asks ${get?.path}, not ${path}`);
      if (portNumber(container, get?.port) !== port)
        problems.push(`${where}: ${probe} on port ${get?.port}, the service listens on ${port}`);
    }
    const annotations = deployment.spec?.template?.metadata.annotations ?? {};
    if (annotations['prometheus.io/port'] !== String(port) || annotations['prometheus.io/path'] !== '/metrics') {
      problems.push(`${where}: prometheus.io annotations do not point at /metrics on ${port}`);
    }
    // The actors run on jemalloc, the order service on glibc's malloc, as in docker-compose.yml (docs/docker.md).
    const preload = container.env?.find((variable) => variable.name === 'LD_PRELOAD')?.value;
    const allocator = service.name === 'order' ? undefined : 'libjemalloc.so.2';
    if (preload !== allocator) problems.push(`${where}: LD_PRELOAD is ${preload}, not ${allocator}`);
    const grace = deployment.spec?.template?.spec.terminationGracePeriodSeconds ?? 30;
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    if (grace <= config.shutdownTimeoutMs / 1000 + preStop) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${grace} is not above SHUTDOWN_TIMEOUT_MS plus the preStop pause`,
      );
    }
  }
  return problems;
}

/** Problems of the Service, the PodDisruptionBudgets and the ScaledObjects. */
export function checkRouting(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const config = settings(manifests);
  const podLabels = ofKind(manifests, 'Deployment').map((d) => ({
    name: d.metadata.name,
    labels: d.spec?.template?.metadata.labels,
  }));
  const selected = (selector: Record<string, string> = {}): string[] =>
    podLabels.filter((pod) => selects(selector, pod.labels)).map((pod) => pod.name);
  const service = find(manifests, 'Service', 'order');
  const order = find(manifests, 'Deployment', 'order')?.spec?.template?.spec.containers[0];
  if (selected(service?.spec?.selector).join() !== 'order')
    problems.push('Service order does not select the order pods alone');
  const target = service?.spec?.ports?.[0]?.targetPort;
  if (!order || portNumber(order, target) !== config.orderPort)
    problems.push(`Service order sends to ${target}, not ORDER_PORT`);
  for (const name of services.map((s) => s.name)) {
    if (
      !ofKind(manifests, 'PodDisruptionBudget').some((pdb) => selected(pdb.spec?.selector?.matchLabels).join() === name)
    ) {
      problems.push(`no PodDisruptionBudget selects the ${name} pods alone`);
    }
  }
  const partitions = new Map(topicDefinitions().map((definition) => [definition.name, definition.partitions]));
  for (const actor of actors) {
    const where = `ScaledObject ${actor.name}`;
    const scaled = find(manifests, 'ScaledObject', actor.name);
    if (scaled?.apiVersion !== 'keda.sh/v1alpha1') {
      problems.push(`no ${where} of keda.sh/v1alpha1`);
      continue;
    }
    const spec = scaled.spec ?? {};
    if (spec.scaleTargetRef?.name !== actor.name || !find(manifests, 'Deployment', actor.name))
      problems.push(`${where}: scales ${spec.scaleTargetRef?.name}`);
    const most = Math.min(...actor.inputs.map((input) => partitions.get(input) ?? 0));
    if (spec.minReplicaCount !== 1 || spec.maxReplicaCount !== most)
      problems.push(`${where}: replicas ${spec.minReplicaCount}..${spec.maxReplicaCount}, not 1..${most} (partitions)`);
    const triggers = spec.triggers ?? [];
    const topics = triggers.map((trigger) => trigger.metadata.topic).sort();
    const inputs = actor.inputs.map((input) => topic(config.topicPrefix, input)).sort();
    if (topics.join() !== inputs.join())
      problems.push(`${where}: triggers on ${topics.join()}, the actor reads ${inputs.join()}`);
    for (const { type, metadata } of triggers) {
      const on = `${where} trigger ${metadata.topic}`;
      if (type !== 'kafka') problems.push(`${on}: type ${type}, not kafka`);
      if (metadata.consumerGroup !== `${config.topicPrefix}${actor.groupId}`)
        problems.push(`${on}: group ${metadata.consumerGroup}, not the actor's`);
      if (metadata.bootstrapServers !== config.kafkaBrokers)
        problems.push(`${on}: bootstrapServers ${metadata.bootstrapServers}, not KAFKA_BROKERS ${config.kafkaBrokers}`);
      if (!/^[1-9]\d*$/.test(metadata.lagThreshold ?? ''))
        problems.push(`${on}: lagThreshold ${metadata.lagThreshold} is no positive whole number`);
      // The actors' consumers start at the earliest offset (src/kafka/client.ts); KEDA must count lag the same way.
      if (metadata.offsetResetPolicy !== 'earliest') problems.push(`${on}: offsetResetPolicy is not earliest`);
      for (const key of Object.keys(metadata)) {
        if (!kafkaScalerParameters.has(key)) problems.push(`${on}: ${key} is no parameter of the Kafka scaler`);
      }
    }
  }
  return problems;
}
