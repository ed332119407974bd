/** Read tools over single objects and kinds: get, list, describe. */
import { z } from 'zod';
import { conditionOf, eventTime, waitingReasons } from '../analyzers/helpers.ts';
import { TargetNotFoundError } from '../errors.ts';
import { KNOWN_KINDS, kindInfo } from '../kinds.ts';
import { redact } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { refString } from '../types.ts';
import { Name, Namespace } from '../validation.ts';
import { boundedItems, sanitizeObject } from './sanitize.ts';
import type { ReadTool, ToolOutput } from './types.ts';

export const Kind = z.enum(KNOWN_KINDS as [string, ...string[]]);
export const Selector = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9._/=,!() -]*$/, 'must be a label selector');

export function out(
  tool: string,
  data: unknown,
  truncated = false,
  notes: string[] = [],
): ToolOutput {
  return { tool, data, truncated, notes };
}

/** An event as the read tools show it; `object` names the involved object when given. */
export function eventRow(e: KubeObject, object?: string): Record<string, unknown> {
  return {
    type: e.type,
    reason: e.reason,
    ...(object === undefined ? {} : { object }),
    count: e.count,
    message: redact(String(e.message ?? '')).slice(0, 300),
    last: e.lastTimestamp ?? e.eventTime,
  };
}

export function summary(o: KubeObject): Record<string, unknown> {
  const s = o.status ?? {};
  const base: Record<string, unknown> = {
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    created: o.metadata.creationTimestamp,
  };
  switch (o.kind) {
    case 'Pod':
      return {
        ...base,
        phase: s.phase,
        ready: `${(s.containerStatuses ?? []).filter((c: { ready: boolean }) => c.ready).length}/${(o.spec?.containers ?? []).length}`,
        restarts: (s.containerStatuses ?? []).reduce(
          (n: number, c: { restartCount: number }) => n + (c.restartCount ?? 0),
          0,
        ),
        node: o.spec?.nodeName,
        waiting: waitingReasons(o),
      };
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return {
        ...base,
        desired: o.spec?.replicas,
        ready: s.readyReplicas ?? 0,
        available: s.availableReplicas ?? 0,
        updated: s.updatedReplicas ?? 0,
      };
    case 'DaemonSet':
      return { ...base, desired: s.desiredNumberScheduled, ready: s.numberReady };
    case 'Node':
      return {
        ...base,
        ready: conditionOf(o, 'Ready')?.status,
        unschedulable: o.spec?.unschedulable ?? false,
        labels: o.metadata.labels,
        taints: o.spec?.taints,
      };
    case 'Secret':
      return { ...base, type: o.type, keys: Object.keys(o.data ?? {}) };
    default:
      return base;
  }
}

const GetArgs = z.strictObject({ kind: Kind, namespace: Namespace.optional(), name: Name });
export const getObject: ReadTool<z.infer<typeof GetArgs>> = {
  name: 'get_object',
  description:
    'Read one object (managed fields dropped, env/annotation values redacted, Secret values never read).',
  schema: GetArgs,
  async run(a, cluster) {
    if (a.kind === 'Secret') {
      const keys = (await cluster.secretKeys(a.namespace ?? 'default')).find(
        (s) => s.name === a.name,
      );
      if (!keys)
        throw new TargetNotFoundError(
          refString({ kind: 'Secret', namespace: a.namespace ?? 'default', name: a.name }),
        );
      return out(
        'get_object',
        { kind: 'Secret', name: a.name, namespace: a.namespace, type: keys.type, keys: keys.keys },
        false,
        ['Secret values are never read; only key names are shown'],
      );
    }
    const obj = await cluster.get(
      a.kind,
      kindInfo(a.kind).namespaced ? (a.namespace ?? 'default') : null,
      a.name,
    );
    if (!obj)
      throw new TargetNotFoundError(
        refString({ kind: a.kind, namespace: a.namespace ?? null, name: a.name }),
      );
    return out('get_object', sanitizeObject(obj));
  },
};

const ListArgs = z.strictObject({
  kind: Kind,
  namespace: Namespace.optional(),
  allNamespaces: z.boolean().default(false),
  labelSelector: Selector.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export const listObjects: ReadTool<z.infer<typeof ListArgs>> = {
  name: 'list_objects',
  description:
    'List objects of a kind as one-line summaries (namespace-scoped unless allNamespaces).',
  schema: ListArgs,
  async run(a, cluster) {
    const namespaced = kindInfo(a.kind).namespaced;
    let items: KubeObject[];
    if (a.kind === 'Secret') {
      const ns = a.namespace ?? 'default';
      items = (await cluster.secretKeys(ns)).map((s) => ({
        kind: 'Secret',
        metadata: { name: s.name, namespace: ns },
        type: s.type,
        data: Object.fromEntries(s.keys.map((k) => [k, ''])),
      }));
    } else {
      items = await cluster.list(
        a.kind,
        namespaced && !a.allNamespaces ? (a.namespace ?? 'default') : null,
        a.labelSelector ? { labelSelector: a.labelSelector } : {},
      );
    }
    const b = boundedItems(items.map(summary), a.limit);
    return out('list_objects', b.items, b.truncated, b.notes);
  },
};

const DescribeArgs = z.strictObject({
  kind: Kind.exclude(['Secret']),
  namespace: Namespace.optional(),
  name: Name,
});
export const describeObject: ReadTool<z.infer<typeof DescribeArgs>> = {
  name: 'describe_object',
  description:
    'Summary of one object with its owner chain, conditions and recent events (like kubectl describe).',
  schema: DescribeArgs,
  async run(a, cluster) {
    const ns = kindInfo(a.kind).namespaced ? (a.namespace ?? 'default') : null;
    const obj = await cluster.get(a.kind, ns, a.name);
    if (!obj)
      throw new TargetNotFoundError(refString({ kind: a.kind, namespace: ns, name: a.name }));
    const owners: string[] = [];
    let current: KubeObject | null = obj;
    for (let i = 0; i < 3 && current; i += 1) {
      const ref: { kind: string; name: string } | undefined =
        current.metadata.ownerReferences?.find((o) => o.controller);
      if (!ref || !KNOWN_KINDS.includes(ref.kind)) break;
      owners.push(`${ref.kind}/${ref.name}`);
      current = await cluster.get(ref.kind, ns, ref.name);
    }
    const events = ns
      ? (
          await cluster.list('Event', ns, { fieldSelector: `involvedObject.name=${a.name}` })
        ).filter((e) => e.involvedObject?.kind === a.kind)
      : [];
    const recent = events
      .sort((x, y) => eventTime(y) - eventTime(x))
      .slice(0, 15)
      .map((e) => eventRow(e));
    return out(
      'describe_object',
      {
        summary: summary(obj),
        ownerChain: owners,
        conditions: obj.status?.conditions ?? [],
        events: recent,
        spec: sanitizeObject(obj).spec,
      },
      events.length > 15,
      events.length > 15 ? [`15 of ${events.length} events shown`] : [],
    );
  },
};
