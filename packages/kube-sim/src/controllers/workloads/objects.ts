/**
 * Helpers on plain Kubernetes objects shared by the workload controllers: owner references,
 * pod readiness, conditions and status writes. Invariant: objects read from the API are
 * never mutated in place; every change builds a new object and goes through the API.
 */
import type { ClusterApi, KObject, OwnerReference, UserInfo } from '../../api/types.ts';
import type { ResourceType } from '../../resources.ts';
import { randomSuffix } from '../../api/meta.ts';
import { labelSelectorMatches, type LabelSelector } from '../../store/selectors.ts';

export { randomSuffix };

export type Obj = KObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** A value read from a nested path, typed by the caller (`at<number>(d, 'spec', 'replicas')`). */
export function at<T>(object: unknown, ...path: string[]): T | undefined {
  let current: unknown = object;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current as T | undefined;
}

export function keyOf(object: KObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

export function controllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(object: KObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(object: KObject, owner: KObject): boolean {
  return controllerOf(object)?.uid === owner.metadata.uid;
}

/** Keys of the controlling owner of `object` when it has `kind` (for owner-triggered requeues). */
export function ownerKeys(object: KObject, kind: string): string[] {
  const ref = controllerOf(object);
  return ref?.kind === kind ? [`${object.metadata.namespace ?? ''}/${ref.name}`] : [];
}

export function selectorMatches(
  selector: unknown,
  labels: Record<string, string> | undefined,
): boolean {
  const sel = selector as LabelSelector | undefined;
  if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return false;
  return labelSelectorMatches(sel, labels ?? {});
}

export function isTerminating(object: KObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

export function podPhase(pod: KObject): string | undefined {
  return at<string>(pod, 'status', 'phase');
}

export function isPodTerminal(pod: KObject): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counted by controllers as one of their replicas: neither finished nor being deleted. */
export function isPodActive(pod: KObject): boolean {
  return !isPodTerminal(pod) && !isTerminating(pod);
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
}

export function conditionOf(object: unknown, type: string): Condition | undefined {
  return (at<Condition[]>(object, 'status', 'conditions') ?? []).find((c) => c.type === type);
}

export function isPodReady(pod: KObject): boolean {
  return conditionOf(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (sim time) — what "available" means everywhere. */
export function isPodAvailable(pod: KObject, minReadySeconds: number, nowMs: number): boolean {
  const ready = conditionOf(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isNaN(since) || nowMs - since >= minReadySeconds * 1000;
}

/** Sim-ms until a ready pod becomes available (0 when it already is or never will be). */
export function msUntilAvailable(pod: KObject, minReadySeconds: number, nowMs: number): number {
  const ready = conditionOf(pod, 'Ready');
  if (ready?.status !== 'True' || minReadySeconds <= 0) return 0;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isNaN(since) ? 0 : Math.max(0, since + minReadySeconds * 1000 - nowMs);
}

/**
 * Sets a condition like the controllers' SetCondition helpers: lastTransitionTime only moves
 * when the status changes, so `kubectl describe` shows how long a state has lasted.
 */
export function withCondition<C extends Condition>(conditions: C[] | undefined, next: C): C[] {
  const list = conditions ?? [];
  const old = list.find((c) => c.type === next.type);
  const merged =
    old && old.status === next.status && old.lastTransitionTime
      ? { ...next, lastTransitionTime: old.lastTransitionTime }
      : next;
  return [...list.filter((c) => c.type !== next.type), merged];
}

export function withoutCondition<C extends Condition>(
  conditions: C[] | undefined,
  type: string,
): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Writes `status` through the status subresource when it differs from the object's. */
export function writeStatus(
  api: ClusterApi,
  resource: ResourceType,
  object: KObject,
  status: Record<string, unknown>,
  user: UserInfo,
): KObject {
  if (sameJson(sortKeys(object.status), sortKeys(status))) return object;
  return api.update(resource, { ...object, status }, { user, subresource: 'status' });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** The message an ApiError (or anything thrown) carries. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Pod metadata and spec from a template, as the workload controllers stamp pods. */
export function podFromTemplate(
  template: unknown,
  owner: KObject,
  name: string,
  generateName: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    spec?: Record<string, unknown>;
  } = {},
): KObject {
  const meta =
    at<{ labels?: Record<string, string>; annotations?: Record<string, string> }>(
      template,
      'metadata',
    ) ?? {};
  const spec = at<Record<string, unknown>>(template, 'spec') ?? {};
  const annotations = { ...meta.annotations, ...extra.annotations };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName,
      namespace: owner.metadata.namespace!,
      labels: { ...meta.labels, ...extra.labels },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: structuredClone({ ...spec, ...extra.spec }),
  };
}
