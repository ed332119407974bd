import { SEVERITY_RANK } from '@opsloop/contracts';
import { analyzeSnapshot, loadSnapshot } from '@opsloop/kube-tools';
import type { ScenarioPlanner } from './env.ts';

/**
 * Waits until the scenario's fault is visible to the analyzers (faults take a few
 * sim-minutes to surface), as a user asks once something is wrong.
 */
export async function waitForFault(
  env: ScenarioPlanner,
  object: { kind: string; name: string; code?: string } | null,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const findings = analyzeSnapshot(await loadSnapshot(env.executor, env.run.namespace));
    const hit = findings.find(
      (f) =>
        (object === null ||
          (f.object.kind === object.kind &&
            f.object.name === object.name &&
            (object.code === undefined || f.code === object.code))) &&
        SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning,
    );
    const now = findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`).join(', ');
    if (hit && (hit.remediations.length > 0 || hit.humanAction)) {
      if (object !== null) return;
      // No expected object (the external set): ask once what is wrong has stopped changing
      // for a few seconds, as a user asks after the symptoms have shown (a second fault may
      // surface later than the first).
      stableSince = now === seen ? stableSince : Date.now();
      if (Date.now() - stableSince >= 4000) return;
    }
    seen = now;
    await new Promise((r) => setTimeout(r, 500));
  }
  // The external set names no expected object: ask anyway once the time is up.
  if (object === null) return;
  throw new Error(
    `${env.run.namespace}: no fault on ${object.kind}/${object.name} within ${timeoutMs} ms; findings: ${seen || 'none'}`,
  );
}
