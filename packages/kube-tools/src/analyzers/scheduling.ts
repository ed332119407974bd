import { quote, quoteJson } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import {
  conditionOf,
  eventEvidence,
  eventsFor,
  groupByOwner,
  isWorkloadKind,
  topOwner,
} from './helpers.ts';
import { repairSelector, selects } from './node-labels.ts';
import { smallerRequestFix } from './smaller-request.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

function unschedulableMessage(
  s: Snapshot,
  pod: KubeObject,
): { message: string; event?: KubeObject } | undefined {
  if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return undefined;
  const cond = conditionOf(pod, 'PodScheduled');
  const event = eventsFor(s, 'Pod', pod).find((e) => e.reason === 'FailedScheduling');
  if (cond?.reason !== 'Unschedulable' && !event) return undefined;
  return { message: String(cond?.message ?? event?.message ?? ''), event };
}

/** Parse "{key: value}" / "{key}" taints out of a scheduler message. */
function taintsIn(message: string): { key: string; value?: string }[] {
  const out: { key: string; value?: string }[] = [];
  for (const m of message.matchAll(/untolerated taint\(?s?\)? \{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const [key, value] = part.split(':').map((x) => x.trim());
      if (key) out.push(value ? { key, value } : { key });
    }
  }
  return out;
}

export function selectorFix(
  s: Snapshot,
  owner: KubeObject,
  selector: Record<string, string>,
): Remediation[] {
  const byName = new Map([...s.nodes, ...s.selectorNodes].map((n) => [n.metadata.name, n]));
  const repair = repairSelector([...byName.values()], selector);
  if (repair === null) return [];
  return [
    {
      action: 'SetNodeSelector',
      args: {
        namespace: owner.metadata.namespace,
        kind: owner.kind,
        name: owner.metadata.name,
        nodeSelector: repair.nodeSelector,
      },
      confidence: 0.65,
      reasoning:
        `no node carries the selected labels; compared with the labels nodes do carry: ${repair.changes.join(', ')}; ` +
        `the new selector matches ${repair.matches.length} schedulable node(s): ${repair.matches.slice(0, 5).join(', ')}`,
    },
  ];
}

/** Run as many replicas as the anti-affinity lets run now: one per eligible node. */
function antiAffinityFix(s: Snapshot, owner: KubeObject): Remediation[] {
  if (owner.kind !== 'Deployment' && owner.kind !== 'StatefulSet') return [];
  const running = s.pods.filter(
    (p) =>
      p.spec?.nodeName &&
      !p.metadata.deletionTimestamp &&
      topOwner(s, p).metadata.uid === owner.metadata.uid,
  ).length;
  if (running === 0 || running >= (owner.spec?.replicas ?? 1)) return [];
  return [
    {
      action: 'ScaleWorkload',
      args: {
        namespace: s.namespace,
        kind: owner.kind,
        name: owner.metadata.name,
        replicas: running,
      },
      confidence: 0.55,
      reasoning: `the required anti-affinity allows one replica per eligible node and ${running} fit now; scaling to ${running} keeps every replica schedulable (adding nodes is the alternative)`,
    },
  ];
}

export const schedulingAnalyzer: Analyzer = {
  name: 'pod-scheduling',
  codes: [
    'INSUFFICIENT_RESOURCES',
    'NODE_SELECTOR_NO_MATCH',
    'UNTOLERATED_TAINT',
    'ANTI_AFFINITY_UNSATISFIABLE',
    'POD_UNSCHEDULABLE',
  ],
  analyze(s) {
    const items = s.pods
      .map((pod) => ({ pod, info: unschedulableMessage(s, pod) }))
      .filter(
        (x): x is { pod: KubeObject; info: { message: string; event?: KubeObject } } =>
          x.info !== undefined,
      )
      .filter((x) => !/unbound (immediate )?PersistentVolumeClaims/i.test(x.info.message));
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, items)) {
      const { pod, info } = group[0]!;
      const msg = info.message;
      const evidence = [
        `${group.length} pod(s) Pending, not scheduled: ${group
          .slice(0, 4)
          .map((g) => g.pod.metadata.name)
          .join(', ')}`,
        `scheduler: ${quote(msg, 300)}`,
        ...(info.event ? [eventEvidence(info.event)] : []),
      ];
      const workload = isWorkloadKind(owner.kind);
      const spec = pod.spec ?? {};
      if (/Insufficient (cpu|memory|ephemeral-storage|pods|[a-z./-]+)/.test(msg)) {
        const requests = (spec.containers ?? []).map(
          (c: { name: string; resources?: { requests?: unknown } }) =>
            `${c.name}: ${JSON.stringify(c.resources?.requests ?? {})}`,
        );
        const fix = workload ? smallerRequestFix(s, owner, msg) : [];
        findings.push({
          code: 'INSUFFICIENT_RESOURCES',
          severity: 'critical',
          object: objectOf(owner),
          evidence: [...evidence, `requests: ${quote(requests.join('; '))}`],
          explanation:
            'No node has enough free capacity for what the pod requests, so it stays Pending.',
          remediations: fix,
          ...(fix.length
            ? {}
            : {
                humanAction:
                  'Decide between adding node capacity and lowering the requests (only someone who knows the workload can size it); no smaller request fits the nodes measured, so Opsloop proposes neither.',
              }),
        });
        continue;
      }
      // Node-health taints (unreachable, not-ready, ...) are never tolerated as a fix.
      const taints = taintsIn(msg).filter((t) => !t.key.startsWith('node.kubernetes.io/'));
      if (taints.length) {
        // The template's tolerations, not the pod's: the API server adds default ones to pods.
        const current = (owner.spec?.template?.spec?.tolerations ?? []) as Record<
          string,
          unknown
        >[];
        const added = taints.map((t) =>
          t.value
            ? { key: t.key, operator: 'Equal', value: t.value }
            : { key: t.key, operator: 'Exists' },
        );
        findings.push({
          code: 'UNTOLERATED_TAINT',
          severity: 'critical',
          object: objectOf(owner),
          evidence: [...evidence, `tolerations: ${quoteJson(current)}`],
          explanation: `Every node that could take the pod is tainted (${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}`).join(', ')}) and the pod does not tolerate it.`,
          remediations: workload
            ? [
                {
                  action: 'SetTolerations',
                  args: {
                    namespace: owner.metadata.namespace,
                    kind: owner.kind,
                    name: owner.metadata.name,
                    tolerations: [...current, ...added],
                  },
                  confidence: 0.5,
                  reasoning:
                    'tolerating the taint lets the pods run on those nodes; a taint reserves nodes on purpose, so confirm this workload belongs there',
                },
              ]
            : [],
        });
        continue;
      }
      if (
        /didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector/i.test(msg)
      ) {
        const selector = (spec.nodeSelector ?? {}) as Record<string, string>;
        const fixes = workload ? selectorFix(s, owner, selector) : [];
        // Nodes that match but cannot take pods (NotReady, cordoned) explain "no match" too.
        const matching = s.selectorNodes
          .filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v))
          .map((n) => ({
            name: n.metadata.name,
            state: n.spec?.unschedulable
              ? 'cordoned'
              : (n.spec?.taints ?? []).some((t: { key: string }) =>
                    t.key.startsWith('node.kubernetes.io/'),
                  )
                ? 'NotReady/unreachable (tainted by the node controller)'
                : 'not schedulable',
          }));
        findings.push({
          code: 'NODE_SELECTOR_NO_MATCH',
          severity: 'critical',
          object: objectOf(owner),
          evidence: [
            ...evidence,
            `nodeSelector: ${quoteJson(selector)}`,
            ...matching.map((n) => `node ${n.name} has the selected labels but is ${n.state}`),
          ],
          explanation: matching.length
            ? `The only node(s) with the selected labels (${matching.map((n) => n.name).join(', ')}) cannot take pods, so the pod stays Pending.`
            : 'The pod may only run on nodes with labels no node has, so it stays Pending.',
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction: matching.length
                  ? `Repair ${matching.map((n) => n.name).join(', ')}, or label a healthy node that should run this workload with ${JSON.stringify(selector)} (no catalog action labels nodes).`
                  : 'Say which nodes this workload belongs on: label those nodes, or change the nodeSelector to labels they have.',
              }),
        });
        continue;
      }
      if (/anti-affinity/i.test(msg)) {
        findings.push({
          code: 'ANTI_AFFINITY_UNSATISFIABLE',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation:
            'Pod anti-affinity requires each replica on a different node (or zone) and there are fewer eligible nodes than replicas.',
          remediations: antiAffinityFix(s, owner),
          humanAction:
            'Decide between adding nodes, lowering the replica count, or relaxing the anti-affinity to "preferred"; each changes availability guarantees.',
        });
        continue;
      }
      findings.push({
        code: 'POD_UNSCHEDULABLE',
        severity: 'critical',
        object: objectOf(owner),
        evidence,
        explanation: 'The scheduler finds no node for the pod; its message says why.',
        remediations: [],
        humanAction: 'Read the scheduler message and adjust the constraint or the nodes it names.',
      });
    }
    findings.push(...idleDaemonSets(s));
    return findings;
  },
};

/**
 * A DaemonSet whose nodeSelector matches no node creates no pod at all: nothing is
 * Pending and no event says why, so this reads the DaemonSet's own status against the
 * nodes' labels.
 */
function idleDaemonSets(s: Snapshot): Finding[] {
  if (s.selectorNodes.length === 0) return [];
  const findings: Finding[] = [];
  for (const ds of s.daemonSets) {
    const selector = (ds.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>;
    const observed =
      Number(ds.status?.observedGeneration ?? 0) >= Number(ds.metadata.generation ?? 0);
    if (!observed || Number(ds.status?.desiredNumberScheduled ?? 0) > 0) continue;
    if (Object.keys(selector).length === 0) continue;
    if (s.selectorNodes.some((n) => selects(selector, n))) continue;
    const fixes = selectorFix(s, ds, selector);
    findings.push({
      code: 'NODE_SELECTOR_NO_MATCH',
      severity: 'critical',
      object: objectOf(ds),
      evidence: [
        `DaemonSet ${ds.metadata.name}: desiredNumberScheduled 0, no pod created`,
        `nodeSelector: ${quoteJson(selector)}`,
        `nodes (${s.selectorNodes.length}) carry: ${quote(nodeLabelSummary(s.selectorNodes, selector), 300)}`,
      ],
      explanation:
        'The DaemonSet may only run on nodes with labels no node has, so it runs no pod anywhere (nothing is Pending, no event says so).',
      remediations: fixes,
      ...(fixes.length
        ? {}
        : {
            humanAction:
              'Say which nodes this DaemonSet belongs on: label those nodes, or change the nodeSelector to labels they have.',
          }),
    });
  }
  return findings;
}

/** The nodes' values of the selector's keys and of keys spelt like them, e.g. "workload-tier=edge×2, core×1". */
function nodeLabelSummary(nodes: KubeObject[], selector: Record<string, string>): string {
  const wanted = Object.keys(selector).map((k) => k.toLowerCase().replace(/[^a-z0-9]/g, ''));
  const counts = new Map<string, number>();
  for (const n of nodes) {
    for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
      if (!wanted.includes(k.toLowerCase().replace(/[^a-z0-9]/g, ''))) continue;
      counts.set(`${k}=${v}`, (counts.get(`${k}=${v}`) ?? 0) + 1);
    }
  }
  return [...counts].map(([label, n]) => `${label}×${n}`).join(', ') || 'none of the selected keys';
}
