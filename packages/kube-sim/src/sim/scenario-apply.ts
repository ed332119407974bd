/**
 * Puts a scenario into a cluster through the in-process ClusterApi (the same admission
 * path `kubectl apply` takes), then applies later revisions once the cluster settles.
 */
import type { ClusterApi, KObject, UserInfo } from '../api/types.ts';
import type { SimClock } from '../clock/clock.ts';
import { findKind, type ResourceType } from '../resources.ts';
import { SimError, SimErrorCode } from './errors.ts';
import type { Scenario } from './scenario.ts';
import { generateNodes } from './scenario-nodes.ts';

export const SCENARIO_USER: UserInfo = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:masters', 'system:authenticated'],
};

/** Creation order: what others refer to (namespaces, nodes, quota, config) before workloads. */
const KIND_ORDER = [
  'Namespace',
  'Node',
  'StorageClass',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'NetworkPolicy',
  'Service',
  'Endpoints',
  'PodDisruptionBudget',
];

function rank(object: KObject): number {
  const i = KIND_ORDER.indexOf(object.kind);
  return i < 0 ? KIND_ORDER.length : i;
}

function resourceOf(object: KObject): ResourceType {
  const resource = findKind(object.apiVersion, object.kind);
  if (resource === undefined) throw new Error(`unknown kind ${object.apiVersion}/${object.kind}`);
  return resource;
}

/**
 * The initial objects of a scenario in creation order: missing Namespaces, generated Nodes
 * (only when the file declares none), then stage 0 in document order within each kind rank.
 */
export function scenarioObjects(
  scenario: Scenario,
  createdAt = new Date().toISOString(),
): KObject[] {
  const initial = scenario.stages[0] ?? [];
  const declared = new Set(
    initial.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
  const needed = new Set<string>([scenario.spec.namespace]);
  for (const stage of scenario.stages)
    for (const o of stage) if (o.metadata.namespace) needed.add(o.metadata.namespace);
  const namespaces: KObject[] = [...needed]
    .filter((ns) => !declared.has(ns))
    .map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    }));
  const nodes = scenario.declaresNodes ? [] : generateNodes(scenario.spec.nodes, createdAt);
  const ordered = initial
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
  return [...namespaces, ...nodes, ...ordered.map(({ o }) => structuredClone(o))];
}

function createWithStatus(api: ClusterApi, object: KObject): void {
  const resource = resourceOf(object);
  const created = api.create(resource, object, {
    user: SCENARIO_USER,
    fieldManager: 'kubectl-client-side-apply',
  });
  // The API server drops status on create (as a real one does for most kinds); Nodes and
  // other objects whose status the scenario fixes get it written through /status.
  if (
    object.status !== undefined &&
    JSON.stringify(created.status) !== JSON.stringify(object.status)
  ) {
    if (resource.subresources?.includes('status')) {
      api.update(
        resource,
        { ...created, status: object.status },
        { user: SCENARIO_USER, subresource: 'status' },
      );
    }
  }
}

/** Applies one later definition as `kubectl apply` would: update if it exists, else create. */
function applyRevision(api: ClusterApi, object: KObject): void {
  const resource = resourceOf(object);
  const live = api.get(resource, object.metadata.namespace, object.metadata.name ?? '');
  if (live === undefined) {
    createWithStatus(api, object);
    return;
  }
  const next: KObject = {
    ...object,
    metadata: {
      ...live.metadata,
      labels: object.metadata.labels,
      annotations: { ...live.metadata.annotations, ...object.metadata.annotations },
    },
    status: live.status,
  };
  api.update(resource, next, { user: SCENARIO_USER, fieldManager: 'kubectl-client-side-apply' });
}

/** A workload whose controller has caught up and whose replicas are all available. */
function settled(api: ClusterApi, object: KObject): boolean {
  if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind)) return true;
  const live = api.get(resourceOf(object), object.metadata.namespace, object.metadata.name ?? '');
  if (live === undefined) return true;
  const status = (live.status ?? {}) as Record<string, number | undefined>;
  const spec = (live.spec ?? {}) as { replicas?: number };
  if ((status.observedGeneration ?? 0) < (live.metadata.generation ?? 1)) return false;
  if (object.kind === 'DaemonSet')
    return (status.numberAvailable ?? 0) >= (status.desiredNumberScheduled ?? 0);
  const ready = object.kind === 'StatefulSet' ? status.readyReplicas : status.availableReplicas;
  return (ready ?? 0) >= (spec.replicas ?? 1);
}

function waitUntil(
  clock: SimClock,
  predicate: () => boolean,
  timeoutSimSeconds: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (predicate()) {
      resolve(true);
      return;
    }
    const started = clock.now();
    const stop = clock.every(1000, () => {
      const ok = predicate();
      if (ok || clock.now() - started >= timeoutSimSeconds * 1000) {
        stop();
        resolve(ok);
      }
    });
  });
}

/** `Deployment shop/web` for messages. */
function describeObject(object: KObject): string {
  const ns = object.metadata.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata.name ?? ''}`;
}

/**
 * Creates the initial state (stage 0) synchronously. An object that already exists (the
 * `default` namespace, a class the cluster came with) is applied over, as `kubectl apply`
 * would; a rejected object throws one line naming the scenario, the object and the API's
 * message.
 */
export function createScenarioObjects(
  api: ClusterApi,
  scenario: Scenario,
  createdAt: string,
): void {
  for (const object of scenarioObjects(scenario, createdAt)) {
    try {
      const live = api.get(resourceOf(object), object.metadata.namespace, object.metadata.name!);
      if (live === undefined) createWithStatus(api, object);
      else if (!(object.kind === 'Namespace' && generated(object))) applyRevision(api, object);
    } catch (error) {
      throw new SimError(
        SimErrorCode.InvalidScenario,
        `scenario ${scenario.name}: ${describeObject(object)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** Namespaces scenarioObjects adds for the scenario (not declared in the file) carry only this label. */
function generated(object: KObject): boolean {
  const labels = object.metadata.labels ?? {};
  return Object.keys(labels).length === 1 && labels['kubernetes.io/metadata.name'] !== undefined;
}

/**
 * For each later stage, waits (on the sim clock, at most `spec.settleSeconds`) until the
 * previous revisions of the objects it changes are rolled out and available, then applies
 * it. Resolves when the last stage is applied (at once for a single-stage scenario).
 */
export async function applyLaterStages(
  api: ClusterApi,
  scenario: Scenario,
  clock: SimClock,
): Promise<void> {
  for (const stage of scenario.stages.slice(1)) {
    await waitUntil(clock, () => stage.every((o) => settled(api, o)), scenario.spec.settleSeconds);
    for (const object of stage) applyRevision(api, object);
  }
}

/** The whole scenario: initial objects, then every later revision. */
export async function applyScenario(
  api: ClusterApi,
  scenario: Scenario,
  clock: SimClock,
): Promise<void> {
  createScenarioObjects(api, scenario, clock.nowIso());
  await applyLaterStages(api, scenario, clock);
}
