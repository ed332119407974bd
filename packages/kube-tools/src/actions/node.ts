import { dryRunIfAllowed } from './dry-run.ts';
import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { DnsLabel, DnsSubdomain } from '@opsloop/contracts';
import { DriftError, KubeApiError, PreconditionError, StepMismatchError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { Name } from '../validation.ts';
import { guardOps } from './guard.ts';
import type { ActionDefinition, PlannedStep } from './types.ts';
import { FIELD_MANAGER } from './types.ts';
import { checkPatchMatches, storedOps } from './verify.ts';
import { writeGuardedPatch } from './write.ts';

const NodeArgs = z.strictObject({ name: Name });

function cordonAction(
  name: string,
  unschedulable: boolean,
  inverse: string,
): ActionDefinition<z.infer<typeof NodeArgs>> {
  return {
    name,
    description: unschedulable
      ? 'Mark a node unschedulable (running pods stay).'
      : 'Mark a node schedulable again.',
    schema: NodeArgs,
    risk: unschedulable ? 'medium' : 'low',
    target: (a) => ({ kind: 'Node', namespace: null, name: a.name }),
    compute: (live, a) => ({
      ops: setOps(live, ['spec', 'unschedulable'], unschedulable),
      summary: `${unschedulable ? 'cordon' : 'uncordon'} node ${a.name}`,
    }),
    checks: (a) => (unschedulable ? [] : [{ name: 'NodeReady', args: { name: a.name } }]),
    inverse: (step) => ({ action: inverse, args: { name: step.args.name } }),
  };
}

export const CordonNode = cordonAction('CordonNode', true, 'UncordonNode');
export const UncordonNode = cordonAction('UncordonNode', false, 'CordonNode');

const DrainArgs = z.strictObject({
  name: Name,
  /** How long to keep retrying evictions a PodDisruptionBudget refuses. */
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
});

interface PodKey {
  namespace: string;
  name: string;
  uid: string;
}

function isDaemonOrMirror(pod: KubeObject): boolean {
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return true;
  return Boolean(pod.metadata.ownerReferences?.some((o) => o.controller && o.kind === 'DaemonSet'));
}

function evictionBody(pod: PodKey) {
  return {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod.name, namespace: pod.namespace },
    // The uid precondition makes sure a replacement pod that reuses the name is never evicted.
    deleteOptions: { preconditions: { uid: pod.uid } },
  };
}

function evictionPath(pod: PodKey) {
  return `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/eviction`;
}

/** The pods the approver saw listed for eviction ("ns/name#uid"); anything else is refused. */
export function plannedPods(step: PlannedStep): PodKey[] {
  const entry = step.diff.find((d) => d.path === 'evictions');
  if (!entry || !Array.isArray(entry.before))
    throw new StepMismatchError('DrainNode', 'diff', 'the step lists no evictions');
  return entry.before.map((key) => {
    const [ns = '', rest = ''] = String(key).split('/', 2);
    const [name = '', uid = ''] = rest.split('#', 2);
    const ok =
      DnsLabel.safeParse(ns).success &&
      DnsSubdomain.safeParse(name).success &&
      /^[A-Za-z0-9-]{1,64}$/.test(uid) &&
      String(key) === `${ns}/${name}#${uid}`;
    if (!ok)
      throw new StepMismatchError(
        'DrainNode',
        'diff',
        `eviction "${String(key).slice(0, 80)}" is not namespace/name#uid`,
      );
    return { namespace: ns, name, uid };
  });
}

/** Every listed pod that still exists must be one planning would list: on the node, not a DaemonSet's. */
async function checkEvictions(cluster: Cluster, node: string, pods: PodKey[]): Promise<void> {
  for (const pod of pods) {
    const live = await cluster.get('Pod', pod.namespace, pod.name);
    if (!live || live.metadata.uid !== pod.uid) continue; // gone or replaced: not evicted
    if (live.spec?.nodeName !== node || isDaemonOrMirror(live))
      throw new StepMismatchError(
        'DrainNode',
        'diff',
        `pod ${pod.namespace}/${pod.name} is ${live.spec?.nodeName === node ? 'a DaemonSet or mirror pod' : `not on node ${node}`}; a drain of ${node} never evicts it`,
      );
  }
}

async function podStillThere(cluster: Cluster, pod: PodKey): Promise<boolean> {
  const live = await cluster.get('Pod', pod.namespace, pod.name);
  return live !== null && live.metadata.uid === pod.uid && !live.metadata.deletionTimestamp;
}

/**
 * Drain = cordon (guarded like every single patch, see guard.ts) + one Eviction per pod that was
 * on the node at planning time. Evictions go through the API server's eviction endpoint,
 * so PodDisruptionBudgets are enforced by the server; a refused eviction (429) is retried
 * until the timeout and never replaced by a plain delete. Each eviction names the pod's
 * uid, so re-running a half-finished drain evicts only what is left.
 */
export const DrainNode: ActionDefinition<z.infer<typeof DrainArgs>> = {
  name: 'DrainNode',
  description:
    'Cordon a node and evict its pods (honouring PodDisruptionBudgets; DaemonSet and mirror pods stay).',
  schema: DrainArgs,
  risk: 'high',
  target: (a) => ({ kind: 'Node', namespace: null, name: a.name }),
  compute: () => {
    throw new Error('DrainNode is planned by its custom execution');
  },
  checks: () => [],
  inverse: (step) => ({ action: 'UncordonNode', args: { name: step.args.name } }),
  custom: {
    async plan(args, live, cluster) {
      const pods = await cluster.list('Pod', null, { fieldSelector: `spec.nodeName=${args.name}` });
      const running = pods.filter(
        (p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp,
      );
      const unmanaged = running.filter(
        (p) => !isDaemonOrMirror(p) && !p.metadata.ownerReferences?.some((o) => o.controller),
      );
      if (unmanaged.length) {
        throw new PreconditionError(
          'DrainNode',
          `node ${args.name} runs pods no controller would recreate (${unmanaged.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}); move or delete them deliberately first`,
        );
      }
      const evict = running.filter((p) => !isDaemonOrMirror(p));
      const keys = evict.map((p) => ({
        namespace: p.metadata.namespace!,
        name: p.metadata.name,
        uid: p.metadata.uid!,
      }));
      const rv = String(live.metadata.resourceVersion);
      const ops =
        live.spec?.unschedulable === true ? [] : setOps(live, ['spec', 'unschedulable'], true);
      if (ops.length)
        await dryRunIfAllowed(() =>
          cluster.patch(
            'Node',
            null,
            args.name,
            { type: 'json', body: [...guardOps(live, ops), ...ops] },
            { dryRun: true, fieldManager: FIELD_MANAGER },
          ),
        );
      const blocked: string[] = [];
      for (const pod of keys) {
        try {
          await dryRunIfAllowed(() =>
            cluster.request('POST', evictionPath(pod), {
              body: evictionBody(pod),
              query: { dryRun: 'All' },
            }),
          );
        } catch (error) {
          if (error instanceof KubeApiError && error.status === 429)
            blocked.push(`${pod.namespace}/${pod.name}`);
          else throw error;
        }
      }
      const note = blocked.length
        ? `; a PodDisruptionBudget currently refuses evicting ${blocked.join(', ')} (the drain waits for it)`
        : '';
      return {
        target: {
          apiVersion: 'v1',
          kind: 'Node',
          namespace: null,
          name: args.name,
          resourceVersion: rv,
        },
        patch: { type: 'json', body: [...guardOps(live, ops), ...ops] as never },
        diff: [
          { path: 'spec.unschedulable', before: live.spec?.unschedulable ?? false, after: true },
          {
            path: 'evictions',
            before: keys.map((k) => `${k.namespace}/${k.name}#${k.uid}`),
            after: [],
          },
        ],
        risk: 'high',
        checks: [],
        summary: `drain node ${args.name}: cordon and evict ${keys.length} pod(s)${note}`,
      };
    },
    /**
     * Observed on the Node (the step's target): before = its resourceVersion when cordoned
     * (or as read, when an earlier attempt already cordoned it), after = the resourceVersion
     * the cordon produced (equal to before when no cordon was needed). The evictions change
     * pods, not the Node; they are in the audit log, not in the observation.
     */
    async apply(step, cluster, write) {
      const stored = storedOps('DrainNode', step);
      const pods = plannedPods(step);
      await checkEvictions(cluster, step.target.name, pods);
      const node = await cluster.get('Node', null, step.target.name);
      if (!node)
        throw new DriftError(refString(step.target), step.target.resourceVersion, null, null);
      const rv = String(node.metadata.resourceVersion);
      let observed = { resourceVersionBefore: rv, resourceVersionAfter: rv as string | null };
      // A retried drain finds the node already cordoned; it does not cordon twice.
      if (node.spec?.unschedulable !== true)
        observed = await writeGuardedPatch(step.target, stored, cluster, write, (live) =>
          checkPatchMatches(DrainNode, stored, live, setOps(live, ['spec', 'unschedulable'], true)),
        );
      const deadline = Date.now() + Number(step.args.timeoutSeconds ?? 300) * 1000;
      for (const pod of pods) {
        for (;;) {
          try {
            await cluster.request('POST', evictionPath(pod), { body: evictionBody(pod) });
            break;
          } catch (error) {
            if (error instanceof KubeApiError && (error.status === 404 || error.status === 409))
              break; // gone or replaced
            if (!(error instanceof KubeApiError && error.status === 429) || Date.now() > deadline) {
              throw error instanceof KubeApiError && error.status === 429
                ? new PreconditionError(
                    'DrainNode',
                    `a PodDisruptionBudget kept refusing eviction of ${pod.namespace}/${pod.name}; the node stays cordoned`,
                  )
                : error;
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      }
      return observed;
    },
    async isApplied(step, cluster) {
      const node = await cluster.get('Node', null, step.target.name);
      if (node?.spec?.unschedulable !== true) return false;
      for (const pod of plannedPods(step)) if (await podStillThere(cluster, pod)) return false;
      return true;
    },
  },
};
