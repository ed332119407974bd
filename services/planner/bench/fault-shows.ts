import { SEVERITY_RANK } from '@opsloop/contracts';
import { analyzeSnapshot, loadSnapshot, type Cluster } from '@opsloop/kube-tools';

/**
 * Waits until the analyzers see the scenario's fault (a warning or worse with a fix or a
 * person's action), as a user would ask only once something shows; at most `ms`.
 */
export async function waitForFault(cluster: Cluster, namespace: string, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const f = analyzeSnapshot(await loadSnapshot(cluster, namespace));
    if (
      f.some(
        (x) =>
          SEVERITY_RANK[x.severity] >= SEVERITY_RANK.warning &&
          (x.remediations.length || x.humanAction),
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
