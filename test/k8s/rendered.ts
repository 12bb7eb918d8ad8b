// The manifests of a deploy/k8s/ overlay as the cluster would get them: rendered by kustomize, validated against the
// Kubernetes API schemas by deploy/k8s/validate.py (kubernetes-validate). `make test-k8s` says where both tools are.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoPath = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const tools = process.env.K8S_TOOLS ?? join(homedir(), '.cache', 'kafka-webshop', 'k8s-tools');
const kustomize = process.env.KUSTOMIZE ?? join(tools, 'bin', 'kustomize');
const python = process.env.K8S_PYTHON ?? join(tools, 'venv', 'bin', 'python');

export interface Probe {
  httpGet?: { path: string; port: number | string };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  envFrom?: { configMapRef?: { name: string } }[];
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: { name: string; emptyDir?: object }[];
}

export interface KafkaTrigger {
  type: string;
  metadata: Record<string, string>;
}

/** The fields of the kinds deploy/k8s/ has that the checks read. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
    ports?: { name?: string; port: number; targetPort?: number | string }[];
    scaleTargetRef?: { name: string; kind?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: KafkaTrigger[];
  };
}

/** The overlays of deploy/k8s/overlays/ rendered with kustomize: the YAML stream, as `make k8s` prints it. */
export function render(overlay: string): string {
  const result = spawnSync(kustomize, ['build', repoPath(`deploy/k8s/overlays/${overlay}`)], { encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run kustomize (${kustomize}): ${result.error.message}; see make test-k8s`);
  if (result.status !== 0) throw new Error(`kustomize build ${overlay} failed: ${result.stderr}`);
  return result.stdout;
}

export function parseManifests(yaml: string): Manifest[] {
  return parseAllDocuments(yaml).map((document) => document.toJS() as Manifest);
}

/** Runs deploy/k8s/validate.py on a YAML stream: its exit status and what it printed. */
export function validate(yaml: string): { status: number | null; output: string } {
  const result = spawnSync(python, [repoPath('deploy/k8s/validate.py')], { input: yaml, encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run ${python}: ${result.error.message}; see make test-k8s`);
  return { status: result.status, output: result.stdout + result.stderr };
}
