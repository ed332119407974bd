import type { Finding } from '@opsloop/kube-tools';
import { SEVERITY_RANK } from '@opsloop/contracts';
import type { KubeObject, Snapshot } from '@opsloop/kube-tools';

/** Plain-language answers the no-model planner gives. Cluster text appears only quoted. */

export const HELP = [
  'I did not understand what to do. Without a model I understand requests like these:',
  '- "Why are the backend-api pods Pending?" / "why is checkout crashing?" / "payment-api is unreachable, fix it" — diagnosis, and a plan when a typed fix exists',
  '- "What\'s wrong in namespace shop?" / "Is checkout healthy?" — a health answer, nothing changed',
  '- "Scale checkout to five replicas" / "scale checkout by 50%" / "scale worker down by 2"',
  '- "Restart checkout" / "Roll back order-service" / "Set the image of storefront to nginx:1.27"',
  '- "Set pull secret registry-credentials on checkout-api" — reference an existing registry secret by name',
  '- "Show the logs of payment-api" / "Check the logs of payments for errors"',
  'Name the namespace ("in namespace shop") when you own more than one.',
].join('\n');

export function serious(findings: Finding[]): Finding[] {
  return findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning);
}

function findingLine(f: Finding): string {
  const evidence = f.evidence.slice(0, 3).map((e) => `    evidence: ${e}`);
  const person = f.humanAction ? [`    needs a person: ${f.humanAction}`] : [];
  return [
    `- [${f.severity}] ${f.code} on ${f.object.kind} ${f.object.name}: ${f.explanation}`,
    ...evidence,
    ...person,
  ].join('\n');
}

/** What the planner's identity may not read: said, never passed off as "nothing there". */
export function unreadableNote(snapshot: Snapshot): string {
  const list = (snapshot.unreadable ?? []).map((u) => `${u.resource} (${u.reason})`);
  return list.length
    ? `\nCould not read: ${list.join(', ')}; what they hold is unknown, not empty.`
    : '';
}

/** "Is X healthy?" / "What's wrong in X?" */
export function healthAnswer(
  subject: string,
  snapshot: Snapshot,
  findings: Finding[],
  /** The named workload's pods; absent: the namespace's. */
  pods?: KubeObject[],
): string {
  const blind = unreadableNote(snapshot);
  const bad = serious(findings).filter((f) => f.code !== 'PROMPT_INJECTION_SUSPECTED');
  const flagged = findings.filter((f) => f.code === 'PROMPT_INJECTION_SUSPECTED');
  const note = flagged.length
    ? `\nNote: ${flagged.length} object(s) carry text addressed to an AI agent; it was quoted in the diagnosis and ignored.`
    : '';
  if (bad.length === 0 && blind !== '') {
    return `No problem found in what could be read of ${subject}, but I cannot say it is healthy.${blind}${note}`;
  }
  if (bad.length === 0) {
    const all = pods ?? snapshot.pods;
    const ready = all.filter(
      (p) => p.status?.phase === 'Running' || p.status?.phase === 'Succeeded',
    ).length;
    const workloads =
      snapshot.deployments.length + snapshot.statefulSets.length + snapshot.daemonSets.length;
    const counted = pods ? '' : `${workloads} workload${workloads === 1 ? '' : 's'}, `;
    return (
      `${subject} is healthy: no problem found (${counted}${ready} of ${all.length} pod${all.length === 1 ? '' : 's'} ` +
      `running or completed). Nothing to change.${note}`
    );
  }
  return `${subject} has ${bad.length} problem(s):\n${bad.slice(0, 20).map(findingLine).join('\n')}\nAsk me to fix one of them for a plan.${blind}${note}`.slice(
    0,
    15_000,
  );
}

/** A diagnosis with no typed fix: what is wrong and what a person must do. */
export function diagnosisAnswer(subject: string, findings: Finding[], snapshot: Snapshot): string {
  const bad = serious(findings).filter((f) => f.code !== 'PROMPT_INJECTION_SUSPECTED');
  const blind = unreadableNote(snapshot);
  if (bad.length === 0) {
    return blind
      ? `I found nothing wrong in what I could read of ${subject}.${blind}`
      : `I found nothing wrong with ${subject}: no analyzer reports a problem with it or with what serves, schedules or stores its pods. Nothing to change.`;
  }
  return (
    `${subject}: ${bad.length} problem(s), none of which an action in the catalog can fix safely:\n` +
    `${bad.slice(0, 20).map(findingLine).join('\n')}${blind}`
  ).slice(0, 15_000);
}
