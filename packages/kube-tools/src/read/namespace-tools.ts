/** Read tools over a namespace's state: logs, events, health, services, nodes, quotas, RBAC. */
import { z } from 'zod';
import {
  eventTime,
  isPodReady,
  matchesSelector,
  selectorString,
  topOwner,
  waitingReasons,
} from '../analyzers/helpers.ts';
import { emptySnapshot } from '../analyzers/snapshot.ts';
import { KubeApiError, TargetNotFoundError } from '../errors.ts';
import { redact, tailBound } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { ContainerName, LabelName, Name, Namespace } from '../validation.ts';
import { boundedItems } from './sanitize.ts';
import type { ReadTool } from './types.ts';
import { Kind, Selector, eventRow, out, summary } from './object-tools.ts';

const LogArgs = z.strictObject({
  namespace: Namespace,
  pod: Name,
  container: ContainerName.optional(),
  previous: z.boolean().default(false),
  tailLines: z.number().int().min(1).max(500).default(100),
});
export const podLogs: ReadTool<z.infer<typeof LogArgs>> = {
  name: 'pod_logs',
  description: 'Last lines of a container log (current or previous run), credentials redacted.',
  schema: LogArgs,
  async run(a, cluster) {
    const text = await cluster.request<string>(
      'GET',
      `/api/v1/namespaces/${a.namespace}/pods/${a.pod}/log`,
      {
        query: {
          container: a.container,
          previous: a.previous || undefined,
          // One line more than asked: if it arrives, the output says it was cut.
          tailLines: a.tailLines + 1,
          limitBytes: 64 * 1024,
        },
        text: true,
        accept: '*/*',
      },
    );
    const b = tailBound(redact(text), a.tailLines, 8000);
    return out(
      'pod_logs',
      { pod: a.pod, container: a.container ?? null, previous: a.previous, log: b.value },
      b.truncated,
      b.note ? [b.note] : [],
    );
  },
};

const EventArgs = z.strictObject({
  namespace: Namespace,
  kind: Kind.optional(),
  name: Name.optional(),
  warningsOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(30),
});
export const listEvents: ReadTool<z.infer<typeof EventArgs>> = {
  name: 'events',
  description: 'Events of a namespace or of one object, newest first.',
  schema: EventArgs,
  async run(a, cluster) {
    const fields = [
      a.name ? `involvedObject.name=${a.name}` : '',
      a.kind ? `involvedObject.kind=${a.kind}` : '',
    ]
      .filter(Boolean)
      .join(',');
    const events = (
      await cluster.list('Event', a.namespace, fields ? { fieldSelector: fields } : {})
    ).filter((e) => !a.warningsOnly || e.type === 'Warning');
    const sorted = events
      .sort((x, y) => eventTime(y) - eventTime(x))
      .map((e) => eventRow(e, `${e.involvedObject?.kind}/${e.involvedObject?.name}`));
    const b = boundedItems(sorted, a.limit);
    return out('events', b.items, b.truncated, b.notes);
  },
};

const NsArgs = z.strictObject({ namespace: Namespace });
export const namespaceHealth: ReadTool<z.infer<typeof NsArgs>> = {
  name: 'namespace_health',
  description: 'Workloads of a namespace, unhealthy ones first, with pod counts by phase.',
  schema: NsArgs,
  async run(a, cluster) {
    const [pods, deployments, statefulSets, daemonSets, replicaSets] = await Promise.all(
      ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((k) =>
        cluster.list(k, a.namespace),
      ),
    );
    const snap = {
      ...emptySnapshot(a.namespace),
      pods: pods!,
      deployments: deployments!,
      statefulSets: statefulSets!,
      daemonSets: daemonSets!,
      replicaSets: replicaSets!,
    };
    const rows = [...deployments!, ...statefulSets!, ...daemonSets!].map((w) => {
      const own = pods!.filter((p) => topOwner(snap, p).metadata.uid === w.metadata.uid);
      const desired =
        w.kind === 'DaemonSet' ? (w.status?.desiredNumberScheduled ?? 0) : (w.spec?.replicas ?? 1);
      const ready = own.filter(isPodReady).length;
      const waiting = [...new Set(own.flatMap(waitingReasons))];
      return {
        kind: w.kind,
        name: w.metadata.name,
        desired,
        ready,
        healthy: ready >= desired,
        phases: own.map((p) => p.status?.phase),
        waiting,
      };
    });
    rows.sort((x, y) => Number(x.healthy) - Number(y.healthy) || x.name.localeCompare(y.name));
    const b = boundedItems(rows, 60);
    return out(
      'namespace_health',
      { namespace: a.namespace, pods: pods!.length, workloads: b.items },
      b.truncated,
      b.notes,
    );
  },
};

const SvcArgs = z.strictObject({ namespace: Namespace, service: Name });
export const serviceAnalysis: ReadTool<z.infer<typeof SvcArgs>> = {
  name: 'service_analysis',
  description: 'Service → selector → matching pods → endpoints, with ports and readiness.',
  schema: SvcArgs,
  async run(a, cluster) {
    const svc = await cluster.get('Service', a.namespace, a.service);
    if (!svc) throw new TargetNotFoundError(`Service ${a.namespace}/${a.service}`);
    const selector = (svc.spec?.selector ?? {}) as Record<string, string>;
    const sel = selectorString(selector);
    const [pods, endpoints] = await Promise.all([
      sel ? cluster.list('Pod', a.namespace, { labelSelector: sel }) : Promise.resolve([]),
      cluster.get('Endpoints', a.namespace, a.service),
    ]);
    const subsets = (endpoints?.subsets ?? []) as {
      addresses?: { ip: string; targetRef?: { name: string } }[];
      notReadyAddresses?: { ip: string; targetRef?: { name: string } }[];
      ports?: unknown[];
    }[];
    const b = boundedItems(
      pods
        .filter((p) => matchesSelector(p.metadata.labels, selector))
        .map((p) => ({
          name: p.metadata.name,
          phase: p.status?.phase,
          ready: isPodReady(p),
          ports: (p.spec?.containers ?? []).flatMap((c: { ports?: unknown[] }) => c.ports ?? []),
        })),
      30,
    );
    return out(
      'service_analysis',
      {
        service: { name: a.service, type: svc.spec?.type, selector, ports: svc.spec?.ports },
        pods: b.items,
        endpoints: {
          ready: subsets.flatMap((s) => (s.addresses ?? []).map((x) => x.targetRef?.name ?? x.ip)),
          notReady: subsets.flatMap((s) =>
            (s.notReadyAddresses ?? []).map((x) => x.targetRef?.name ?? x.ip),
          ),
          ports: subsets.flatMap((s) => s.ports ?? []),
        },
      },
      b.truncated,
      b.notes,
    );
  },
};

const NodeArgs = z.strictObject({
  name: Name.optional(),
  labelSelector: Selector.optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export const nodeSummary: ReadTool<z.infer<typeof NodeArgs>> = {
  name: 'node_summary',
  description:
    'One node, or nodes matching a label selector: readiness, pressure, taints, capacity.',
  schema: NodeArgs,
  async run(a, cluster) {
    const nodes = a.name
      ? [await cluster.get('Node', null, a.name)].filter((n): n is KubeObject => n !== null)
      : (
          await cluster.request<{ items: KubeObject[]; metadata?: { continue?: string } }>(
            'GET',
            '/api/v1/nodes',
            { query: { labelSelector: a.labelSelector, limit: a.limit } },
          )
        ).items;
    const rows = nodes.map((n) => ({
      ...summary({ ...n, kind: 'Node' }),
      allocatable: n.status?.allocatable,
      conditions: (n.status?.conditions ?? [])
        .filter((c: { type: string; status: string }) => c.status === 'True' || c.type === 'Ready')
        .map(
          (c: { type: string; status: string; reason?: string }) =>
            `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`,
        ),
    }));
    return out(
      'node_summary',
      rows,
      !a.name && rows.length >= a.limit,
      !a.name && rows.length >= a.limit ? [`first ${a.limit} nodes shown`] : [],
    );
  },
};

export const quotaUsage: ReadTool<z.infer<typeof NsArgs>> = {
  name: 'quota_usage',
  description: 'ResourceQuotas and LimitRanges of a namespace: hard limits and current use.',
  schema: NsArgs,
  async run(a, cluster) {
    const [quotas, limits] = await Promise.all([
      cluster.list('ResourceQuota', a.namespace),
      cluster.list('LimitRange', a.namespace),
    ]);
    return out('quota_usage', {
      quotas: quotas.map((q) => ({
        name: q.metadata.name,
        hard: q.status?.hard ?? q.spec?.hard,
        used: q.status?.used ?? {},
      })),
      limitRanges: limits.map((l) => ({ name: l.metadata.name, limits: l.spec?.limits })),
    });
  },
};

const CanIArgs = z.strictObject({
  verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']),
  resource: LabelName,
  group: z
    .string()
    .max(253)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/)
    .default(''),
  subresource: z.enum(['status', 'scale', 'eviction', 'log', 'proxy']).optional(),
  namespace: Namespace.optional(),
  name: Name.optional(),
  /** Ask about another user (needs permission to create SubjectAccessReviews); omitted means "me". */
  user: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9@._:-]+$/)
    .optional(),
  groups: z
    .array(
      z
        .string()
        .min(1)
        .max(253)
        .regex(/^[A-Za-z0-9@._:-]+$/),
    )
    .max(20)
    .optional(),
});
export const canI: ReadTool<z.infer<typeof CanIArgs>> = {
  name: 'can_i',
  description:
    'Whether a user (or the caller) may perform a verb on a resource, per Kubernetes RBAC (SubjectAccessReview).',
  schema: CanIArgs,
  async run(a, cluster) {
    const resourceAttributes = {
      verb: a.verb,
      resource: a.resource,
      group: a.group,
      subresource: a.subresource,
      namespace: a.namespace,
      name: a.name,
    };
    const body = a.user
      ? {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: { user: a.user, groups: a.groups ?? [], resourceAttributes },
        }
      : {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes },
        };
    const path = a.user
      ? '/apis/authorization.k8s.io/v1/subjectaccessreviews'
      : '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    try {
      const review = await cluster.request<{
        status?: { allowed?: boolean; denied?: boolean; reason?: string };
      }>('POST', path, { body });
      return out('can_i', {
        allowed: review.status?.allowed === true,
        reason: review.status?.reason ?? '',
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 403)
        return out('can_i', { allowed: false, reason: `cannot ask: ${error.message}` });
      throw error;
    }
  },
};
