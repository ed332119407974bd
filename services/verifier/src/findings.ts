import type { Plan } from '@opsloop/contracts';
import { analyzeSnapshot, loadSnapshot, type Cluster } from '@opsloop/kube-tools';

/**
 * What the analyzers still find wrong on the plan's targets (and the pods, ReplicaSets and
 * Endpoints named after them), one line each, for the VerificationFailed reason. Empty
 * when they find nothing or cannot read the namespace (a failed verification stands anyway).
 */
export async function stillWrong(cluster: Cluster, plan: Plan): Promise<string> {
  const namespaces = [
    ...new Set(plan.steps.map((s) => s.target.namespace).filter((n) => n !== null)),
  ];
  const names = plan.steps.map((s) => s.target.name);
  const lines: string[] = [];
  for (const namespace of namespaces) {
    try {
      const findings = analyzeSnapshot(await loadSnapshot(cluster, namespace));
      for (const f of findings) {
        if (f.severity === 'info') continue;
        if (!names.some((n) => f.object.name === n || f.object.name.startsWith(`${n}-`))) continue;
        lines.push(
          `${f.code} on ${f.object.kind} ${namespace}/${f.object.name}: ${f.explanation.slice(0, 240)}`,
        );
      }
    } catch {
      // unreadable namespace: nothing to add
    }
  }
  return lines.slice(0, 5).join('; ');
}
