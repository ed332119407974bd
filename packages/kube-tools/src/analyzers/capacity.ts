import { quote, quoteJson } from '../redact.ts';
import { parseQuantity } from '../validation.ts';
import type { KubeObject } from '../types.ts';
import { conditionOf, editDistance, matchesLabelSelector } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

function target(s: Snapshot, ref: { kind?: string; name?: string }): KubeObject | undefined {
  const pool =
    ref.kind === 'Deployment'
      ? s.deployments
      : ref.kind === 'StatefulSet'
        ? s.statefulSets
        : ref.kind === 'ReplicaSet'
          ? s.replicaSets
          : [];
  return pool.find((o) => o.metadata.name === ref.name);
}

/**
 * The workload an HPA whose target is gone most likely means: of the target's kind, not
 * targeted by another HPA, and the only one whose name extends or shortens the missing name
 * (`api` → `api-v2`), or is within two edits of it.
 */
function renamedTarget(s: Snapshot, hpa: KubeObject): KubeObject | undefined {
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const missing = String(ref.name ?? '');
  const targeted = new Set(
    s.hpas
      .filter((h) => h !== hpa)
      .map((h) => `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`),
  );
  const pool = ref.kind === 'StatefulSet' ? s.statefulSets : s.deployments;
  const near = pool.filter((w) => {
    const name = w.metadata.name;
    if (targeted.has(`${ref.kind}/${name}`)) return false;
    return (
      name.startsWith(`${missing}-`) ||
      missing.startsWith(`${name}-`) ||
      editDistance(name, missing) <= 2
    );
  });
  return near.length === 1 ? { ...near[0]!, kind: ref.kind } : undefined;
}

export const hpaAnalyzer: Analyzer = {
  name: 'hpa',
  codes: ['HPA_TARGET_MISSING', 'HPA_MISSING_REQUESTS', 'HPA_SCALING_INACTIVE'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const hpa of s.hpas) {
      const ref = hpa.spec?.scaleTargetRef ?? {};
      const workload = target(s, ref);
      if (!workload) {
        const successor = renamedTarget(s, hpa);
        findings.push({
          code: 'HPA_TARGET_MISSING',
          severity: 'critical',
          object: objectOf(hpa, 'HorizontalPodAutoscaler'),
          evidence: [
            `scaleTargetRef: ${quote(`${ref.kind}/${ref.name}`)} not found in ${s.namespace}`,
          ],
          explanation:
            'The autoscaler points at a workload that does not exist, so it scales nothing.',
          remediations: [],
          humanAction: successor
            ? `${successor.kind} ${successor.metadata.name} extends the missing name, runs ${successor.spec?.replicas ?? 1} replica(s) (the HPA's minimum is ${hpa.spec?.minReplicas ?? 1}) and no autoscaler targets it: point the HPA at it (kubectl -n ${s.namespace} patch hpa ${hpa.metadata.name} --type merge -p '{"spec":{"scaleTargetRef":{"name":"${successor.metadata.name}"}}}'). Opsloop's catalog has no HPA edit, so a person must make this change.`
            : 'Point the HPA at the right workload or delete it if the workload is gone.',
        });
        continue;
      }
      const resources = (hpa.spec?.metrics ?? [])
        .filter(
          (m: { type: string; resource?: { name: string; target?: { type: string } } }) =>
            m.type === 'Resource' && m.resource?.target?.type === 'Utilization',
        )
        .map((m: { resource: { name: string } }) => m.resource.name) as string[];
      const containers = (workload.spec?.template?.spec?.containers ?? []) as {
        name: string;
        resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      }[];
      const lacking = resources.flatMap((r) =>
        containers.filter((c) => c.resources?.requests?.[r] === undefined).map((c) => ({ r, c })),
      );
      if (lacking.length && workload.kind !== 'ReplicaSet') {
        const remediations: Remediation[] = lacking.map(({ r, c }) => {
          const limit = c.resources?.limits?.[r];
          const value = limit ?? (r === 'cpu' ? '100m' : '128Mi');
          return {
            action: 'SetContainerResources',
            args: {
              namespace: s.namespace,
              kind: workload.kind,
              name: workload.metadata.name,
              container: c.name,
              requests: { [r]: value },
            },
            confidence: limit ? 0.65 : 0.4,
            reasoning: limit
              ? `utilization is measured against requests; using the container's ${r} limit (${limit}) as its request lets the HPA compute it`
              : `utilization is measured against requests; ${value} is a starting request — size it from the container's measured usage`,
          };
        });
        findings.push({
          code: 'HPA_MISSING_REQUESTS',
          severity: 'warning',
          object: objectOf(hpa, 'HorizontalPodAutoscaler'),
          evidence: [
            `metrics: ${quote(resources.join(', '))} utilization`,
            ...lacking.map(
              ({ r, c }) =>
                `container ${c.name} of ${workload.kind} ${workload.metadata.name} has no ${r} request`,
            ),
            ...(conditionOf(hpa, 'ScalingActive')
              ? [
                  `ScalingActive=${conditionOf(hpa, 'ScalingActive')!.status}: ${quote(String(conditionOf(hpa, 'ScalingActive')!.message ?? ''))}`,
                ]
              : []),
          ],
          explanation: `The autoscaler scales on ${resources.join('/')} utilization, a percentage of the containers' requests, but the containers declare none, so it cannot scale.`,
          remediations,
        });
        continue;
      }
      const active = conditionOf(hpa, 'ScalingActive');
      if (active?.status === 'False') {
        findings.push({
          code: 'HPA_SCALING_INACTIVE',
          severity: 'warning',
          object: objectOf(hpa, 'HorizontalPodAutoscaler'),
          evidence: [
            `ScalingActive=False reason ${String(active.reason)}: ${quote(String(active.message ?? ''))}`,
          ],
          explanation: 'The autoscaler cannot compute its metrics and does not scale.',
          remediations: [],
          humanAction:
            'Check the metrics source named in the condition (metrics-server or custom metrics).',
        });
      }
    }
    return findings;
  },
};

export const pdbAnalyzer: Analyzer = {
  name: 'pdb',
  codes: ['PDB_NO_PODS', 'PDB_BLOCKS_ALL_DISRUPTIONS'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const pdb of s.pdbs) {
      const pods = s.pods.filter((p) =>
        matchesLabelSelector(p.metadata.labels, pdb.spec?.selector),
      );
      if (pods.length === 0) {
        findings.push({
          code: 'PDB_NO_PODS',
          severity: 'warning',
          object: objectOf(pdb, 'PodDisruptionBudget'),
          evidence: [
            `selector: ${quoteJson(pdb.spec?.selector ?? {})} matches no pod in ${s.namespace}`,
          ],
          explanation:
            'The disruption budget protects no pods: its selector matches none (a typo, or the workload was renamed).',
          remediations: [],
          humanAction:
            'Fix the PDB selector to match the pods it should protect, or remove the PDB.',
        });
        continue;
      }
      const st = pdb.status ?? {};
      if (
        st.disruptionsAllowed === 0 &&
        (st.expectedPods ?? 0) > 0 &&
        (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0)
      ) {
        findings.push({
          code: 'PDB_BLOCKS_ALL_DISRUPTIONS',
          severity: 'warning',
          object: objectOf(pdb, 'PodDisruptionBudget'),
          evidence: [
            `minAvailable ${String(pdb.spec?.minAvailable ?? '-')}, maxUnavailable ${String(pdb.spec?.maxUnavailable ?? '-')}`,
            `healthy ${st.currentHealthy}/${st.expectedPods}, disruptions allowed 0`,
          ],
          explanation:
            'Even with every pod healthy the budget allows no eviction, so node drains and upgrades hang.',
          remediations: [],
          humanAction:
            'Decide the availability you need: run more replicas or allow at least one disruption (maxUnavailable: 1).',
        });
      }
    }
    return findings;
  },
};

export const quotaAnalyzer: Analyzer = {
  name: 'quota',
  codes: ['QUOTA_AT_LIMIT'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const q of s.quotas) {
      const hard = (q.status?.hard ?? q.spec?.hard ?? {}) as Record<string, string>;
      const used = (q.status?.used ?? {}) as Record<string, string>;
      const full = Object.keys(hard).filter(
        (k) =>
          used[k] !== undefined &&
          parseQuantity(hard[k]) > 0 &&
          parseQuantity(used[k]) >= parseQuantity(hard[k]),
      );
      if (!full.length) continue;
      findings.push({
        code: 'QUOTA_AT_LIMIT',
        severity: 'warning',
        object: objectOf(q, 'ResourceQuota'),
        evidence: full.map((k) => `${k}: used ${used[k]} of ${hard[k]}`),
        explanation: `ResourceQuota ${q.metadata.name} is exhausted for ${full.join(', ')}; new pods (or objects) that need more are refused.`,
        remediations: [],
        humanAction:
          'Decide whether the namespace may use more (raise the quota) or should free capacity.',
      });
    }
    return findings;
  },
};
