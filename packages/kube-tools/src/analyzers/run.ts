import { ACTIONS } from '../actions/catalog.ts';
import { imagePullAnalyzer } from './pod-images.ts';
import { crashAnalyzer, oomAnalyzer } from './pod-crashes.ts';
import { probeAnalyzer } from './pod-probes.ts';
import { initWaitAnalyzer } from './pod-init.ts';
import { missingConfigAnalyzer, mountAnalyzer } from './pod-config.ts';
import { schedulingAnalyzer } from './scheduling.ts';
import { ingressAnalyzer, serviceAnalyzer } from './services.ts';
import { createFailureAnalyzer, rolloutAnalyzer } from './workloads.ts';
import { cronJobAnalyzer, jobAnalyzer } from './batch.ts';
import { pvcAnalyzer } from './storage.ts';
import { rbacAnalyzer } from './rbac.ts';
import { addStuckPodFollowUps } from './stuck-pods.ts';
import { hpaAnalyzer, pdbAnalyzer, quotaAnalyzer } from './capacity.ts';
import { networkPolicyAnalyzer, webhookAnalyzer } from './network.ts';
import { nodeAnalyzer } from './nodes.ts';
import {
  daemonSetAnalyzer,
  hpaLimitAnalyzer,
  limitRangeAnalyzer,
  serviceAccountAnalyzer,
} from './policies.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding } from './types.ts';
import { SEVERITY_RANK } from './types.ts';

export const ANALYZERS: readonly Analyzer[] = [
  imagePullAnalyzer,
  crashAnalyzer,
  rbacAnalyzer,
  oomAnalyzer,
  probeAnalyzer,
  initWaitAnalyzer,
  missingConfigAnalyzer,
  mountAnalyzer,
  schedulingAnalyzer,
  serviceAnalyzer,
  ingressAnalyzer,
  rolloutAnalyzer,
  createFailureAnalyzer,
  jobAnalyzer,
  cronJobAnalyzer,
  pvcAnalyzer,
  hpaAnalyzer,
  pdbAnalyzer,
  quotaAnalyzer,
  networkPolicyAnalyzer,
  webhookAnalyzer,
  nodeAnalyzer,
  daemonSetAnalyzer,
  serviceAccountAnalyzer,
  limitRangeAnalyzer,
  hpaLimitAnalyzer,
];

/** Findings that only restate a symptom; dropped when the same object has a specific cause. */
const SYMPTOMS = new Set(['WORKLOAD_UNAVAILABLE', 'DAEMONSET_UNAVAILABLE']);

function key(f: Finding): string {
  return `${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;
}

/**
 * Run every analyzer over one snapshot. Deterministic: same snapshot, same findings in
 * the same order. Remediations whose args the action's own schema rejects are dropped,
 * so every proposal can be planned as given.
 */
export function analyzeSnapshot(
  snapshot: Snapshot,
  analyzers: readonly Analyzer[] = ANALYZERS,
): Finding[] {
  const raw = analyzers.flatMap((a) => a.analyze(snapshot));
  const specific = new Set(raw.filter((f) => !SYMPTOMS.has(f.code)).map(key));
  const kept = raw.filter((f) => !SYMPTOMS.has(f.code) || !specific.has(key(f)));
  for (const finding of kept) {
    finding.remediations = finding.remediations
      .filter(
        (r) =>
          Object.hasOwn(ACTIONS, r.action) && ACTIONS[r.action]!.schema.safeParse(r.args).success,
      )
      .map((r) => addStuckPodFollowUps(snapshot, r))
      .sort((a, b) => b.confidence - a.confidence);
  }
  return kept.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      key(a).localeCompare(key(b)) ||
      a.code.localeCompare(b.code),
  );
}
