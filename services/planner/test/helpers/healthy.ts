import { SEVERITY_RANK } from '@opsloop/contracts';
import { analyzeSnapshot, loadSnapshot, type Cluster } from '@opsloop/kube-tools';

/** Waits until the analyzers see nothing of warning or worse in `namespace` (a settled healthy cluster). */
export async function waitHealthy(
  cluster: Cluster,
  namespace: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let serious: string[] = [];
  while (Date.now() < deadline) {
    serious = analyzeSnapshot(await loadSnapshot(cluster, namespace))
      .filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning)
      .map((f) => `${f.code} ${f.object.kind}/${f.object.name}`);
    if (serious.length === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${namespace} did not settle healthy: ${serious.join(', ')}`);
}
