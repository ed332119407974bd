import { KubeApiError, loadSnapshot, redact } from '@opsloop/kube-tools';
import type { Cluster, KubeObject, Snapshot } from '@opsloop/kube-tools';
import type { PlannerLimits } from './config.ts';
import type { ParsedRequest } from './intent.ts';
import { choosePodsForLogs, fetchLogs, type PodLog } from './logs.ts';
import { matchesScope } from './policy.ts';
import { resolve, type Resolution } from './resolve.ts';
import { toolCall } from './spans.ts';

/** What the planner knows about the operation from its OperationRequested event. */
export interface OperationInput {
  opId: string;
  request: string;
  /** The namespace the gateway resolved from the request, if the user named one. */
  namespace?: string;
  /** Namespaces (names or globs) the requester's teams own; null: unknown, every step refused. */
  scope: string[] | null;
  clusterId: string;
  requestedBy: string;
}

export interface Context {
  namespace: string | null;
  /** How the namespace was chosen, for the record and the answer. */
  namespaceFrom: string;
  namespaceExists: boolean;
  snapshot: Snapshot | null;
  /** null when the request names no object (namespace-wide). */
  resolution: Resolution | null;
  logs: PodLog[];
  apiCalls: number;
  bytesRead: number;
  truncated: boolean;
  notes: string[];
}

/**
 * Counts the API calls and bytes one request costs (client-node's HTTP layer counts them)
 * and says when the next read would go over the configured bound. The planner handles one
 * request at a time per cluster client, so the deltas are this request's own.
 */
export class Budget {
  private readonly start;
  private readonly cluster: Cluster;
  private readonly limits: PlannerLimits;
  /** `spentBefore`: what earlier reads of the same request cost (the bound is per request). */
  constructor(cluster: Cluster, limits: PlannerLimits, spentBefore = { calls: 0, bytes: 0 }) {
    this.cluster = cluster;
    this.limits = limits;
    const now = cluster.stats();
    this.start = {
      requests: now.requests - spentBefore.calls,
      bytesRead: now.bytesRead - spentBefore.bytes,
    };
  }
  spent() {
    const now = this.cluster.stats();
    return {
      calls: now.requests - this.start.requests,
      bytes: now.bytesRead - this.start.bytesRead,
    };
  }
  allows(calls: number): boolean {
    const { calls: used, bytes } = this.spent();
    return used + calls <= this.limits.maxApiCalls && bytes < this.limits.maxContextBytes;
  }
}

export async function gatherContext(
  cluster: Cluster,
  input: OperationInput,
  parsed: ParsedRequest,
  limits: PlannerLimits,
): Promise<Context> {
  const budget = new Budget(cluster, limits);
  const notes: string[] = [];
  const target = 'target' in parsed.intent ? parsed.intent.target : '';
  const chosen = await chooseNamespace(cluster, input, parsed, target, budget);
  const empty = { snapshot: null, resolution: null, logs: [], notes, truncated: false };
  if (chosen.namespace === null)
    return finish({ ...empty, ...chosen, namespaceExists: false }, budget);
  const ns = chosen.namespace;
  const exists = await toolCall('get_namespace', { 'k8s.namespace.name': ns }, () =>
    cluster.get('Namespace', null, ns),
  );
  if (exists === null) return finish({ ...empty, ...chosen, namespaceExists: false }, budget);
  const snapshot = await toolCall('namespace_snapshot', { 'k8s.namespace.name': ns }, () =>
    loadSnapshot(cluster, ns),
  );
  // The target names the namespace itself ("is payments healthy?"): namespace-wide.
  const namespaceWide =
    target === '' || target.split(' ').every((w) => w === ns || w === 'namespace');
  const resolution = namespaceWide ? null : resolve(snapshot, target);
  let logs: PodLog[] = [];
  let truncated = false;
  if (parsed.intent.kind === 'logs' || parsed.intent.kind === 'log-errors') {
    const pods = choosePodsForLogs(snapshot, resolution);
    const fetched = await fetchLogs(cluster, ns, pods, limits.logLines, budget);
    logs = fetched.logs;
    truncated = fetched.truncated;
    notes.push(...fetched.notes);
  }
  if (!budget.allows(0)) {
    truncated = true;
    notes.push(
      `stopped reading at the request's bound (${limits.maxApiCalls} API calls, ${limits.maxContextBytes} bytes)`,
    );
  }
  return finish(
    { ...chosen, namespaceExists: true, snapshot, resolution, logs, notes, truncated },
    budget,
  );
}

function finish(partial: Omit<Context, 'apiCalls' | 'bytesRead'>, budget: Budget): Context {
  const { calls, bytes } = budget.spent();
  return { ...partial, apiCalls: calls, bytesRead: bytes };
}

/**
 * The namespace the request is about: the one the gateway resolved, else one named in the
 * text, else the one scope namespace the target's name is found in. Never a guess outside
 * what the request or the requester's scope names.
 */
async function chooseNamespace(
  cluster: Cluster,
  input: OperationInput,
  parsed: ParsedRequest,
  target: string,
  budget: Budget,
): Promise<{ namespace: string | null; namespaceFrom: string }> {
  if (input.namespace) return { namespace: input.namespace, namespaceFrom: 'named in the request' };
  if (parsed.namespace)
    return { namespace: parsed.namespace, namespaceFrom: 'named in the request text' };
  const scope = input.scope ?? [];
  const exact = scope.filter((s) => !/[*?]/.test(s));
  const word = exact.find((ns) => target.split(' ').includes(ns));
  if (word) return { namespace: word, namespaceFrom: 'named in the request text' };
  let candidates = exact;
  if (scope.some((s) => /[*?]/.test(s)) && budget.allows(1)) {
    const all = await toolCall('list_namespaces', {}, () => cluster.list('Namespace', null));
    candidates = all.map((n) => n.metadata.name).filter((name) => matchesScope(name, scope));
  }
  if (candidates.length === 1) {
    return { namespace: candidates[0]!, namespaceFrom: "the requester's only namespace" };
  }
  if (target === '' || candidates.length === 0)
    return { namespace: null, namespaceFrom: 'not named' };
  const found: string[] = [];
  for (const ns of candidates.slice(0, 10)) {
    if (!budget.allows(2)) break;
    const [deployments, services] = await toolCall(
      'find_target',
      { 'k8s.namespace.name': ns },
      () =>
        Promise.all([listOrEmpty(cluster, 'Deployment', ns), listOrEmpty(cluster, 'Service', ns)]),
    );
    const lookup = {
      deployments,
      services,
      statefulSets: [],
      daemonSets: [],
      cronJobs: [],
      jobs: [],
      pods: [],
    };
    if ('found' in resolve(lookup as unknown as Snapshot, target)) found.push(ns);
  }
  return found.length === 1
    ? {
        namespace: found[0]!,
        namespaceFrom: `the one of the requester's namespaces where "${target}" exists`,
      }
    : {
        namespace: null,
        namespaceFrom: found.length > 1 ? `"${target}" exists in ${found.join(', ')}` : 'not named',
      };
}

async function listOrEmpty(cluster: Cluster, kind: string, ns: string): Promise<KubeObject[]> {
  try {
    return await cluster.list(kind, ns);
  } catch (error) {
    if (error instanceof KubeApiError && (error.status === 403 || error.status === 404)) return [];
    throw error;
  }
}

/** A few lines saying what was read: what ContextGathered records (never the raw data). */
export function contextSummary(context: Context, limits: PlannerLimits): string {
  const lines = [`namespace: ${context.namespace ?? 'none'} (${context.namespaceFrom})`];
  const s = context.snapshot;
  if (context.namespace !== null && !context.namespaceExists)
    lines.push('the namespace does not exist');
  if (s) {
    const counts: [string, unknown[]][] = [
      ['Deployments', s.deployments],
      ['StatefulSets', s.statefulSets],
      ['DaemonSets', s.daemonSets],
      ['ReplicaSets', s.replicaSets],
      ['Pods', s.pods],
      ['Services', s.services],
      ['Jobs', s.jobs],
      ['CronJobs', s.cronJobs],
      ['Ingresses', s.ingresses],
      ['PVCs', s.pvcs],
      ['NetworkPolicies', s.networkPolicies],
      ['HPAs', s.hpas],
      ['ResourceQuotas', s.quotas],
      ['Events', s.events],
      ['ConfigMaps (names)', s.configMaps],
      ['Secrets (names only)', s.secrets],
      ['Nodes', s.nodes],
    ];
    lines.push(
      `read: ${
        counts
          .filter(([, l]) => l.length > 0)
          .map(([k, l]) => `${l.length} ${k}`)
          .join(', ') || 'nothing'
      }`,
    );
    const unreadable = (s.unreadable ?? []).map((u) => `${u.resource} (${u.reason})`);
    if (unreadable.length) lines.push(`could not read: ${unreadable.join(', ')}`);
    const logTails = Object.keys(s.logs).length;
    if (logTails > 0) lines.push(`crash log tails: ${logTails}`);
  }
  const r = context.resolution;
  if (r && 'found' in r) {
    const w = r.found.workload;
    lines.push(
      `request names ${r.found.named.kind} ${r.found.named.name}` +
        (w && (w.kind !== r.found.named.kind || w.name !== r.found.named.name)
          ? ` → ${w.kind} ${w.name}`
          : '') +
        (r.found.services.length ? `; Services: ${r.found.services.join(', ')}` : ''),
    );
  } else if (r && 'ambiguous' in r) {
    lines.push(
      `request matches several objects: ${r.ambiguous.map((o) => `${o.kind} ${o.name}`).join(', ')}`,
    );
  } else if (r) lines.push('request names no object that exists here');
  if (context.logs.length > 0) {
    const total = context.logs.reduce((n, l) => n + l.lines.length, 0);
    lines.push(`logs: ${context.logs.length} containers, ${total} lines`);
  }
  lines.push(
    `${context.apiCalls} API calls, ${context.bytesRead} bytes read (bounds ${limits.maxApiCalls} calls, ${limits.maxContextBytes} bytes)`,
  );
  lines.push(...context.notes.map((n) => redact(n)));
  return lines.join('\n').slice(0, 8000);
}
