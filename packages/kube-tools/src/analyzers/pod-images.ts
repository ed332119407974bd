import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import {
  containerArgs,
  containerLabel,
  containerStates,
  eventEvidence,
  eventsFor,
  groupByOwner,
  isWorkloadKind,
  previousRevision,
  rollbackRemediation,
} from './helpers.ts';
import { pullSecretFix, pullSecretHint, repository } from './pull-secret-fix.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

const PULL_REASONS = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];
const AUTH =
  /(unauthori[sz]ed|authentication required|access denied|denied: |forbidden|no basic auth credentials|401|403)/i;
const NOT_FOUND = /(not found|manifest unknown|does not exist|no such|404)/i;

/** Images of the same workload that worked before: its previous revision's template. */
function rollbackFix(
  s: Snapshot,
  owner: KubeObject,
  container: string,
  badImage: string,
): Remediation[] {
  if (owner.kind !== 'Deployment') return [];
  const previous = previousRevision(s, owner);
  if (!previous) return [];
  const spec = previous.rs.spec?.template?.spec ?? {};
  const before = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find(
    (c: { name: string }) => c.name === container,
  );
  if (!before || before.image === badImage) return [];
  return [
    rollbackRemediation(
      owner,
      previous.revision,
      0.8,
      `revision ${previous.revision} ran container ${container} with image ${before.image}; going back restores a pullable image`,
    ),
  ];
}

/** Another container of the same pod template using the same repository with a tag that pulls. */
function siblingImageFix(
  s: Snapshot,
  owner: KubeObject,
  container: string,
  badImage: string,
): Remediation[] {
  if (!isWorkloadKind(owner.kind)) return [];
  const repo = repository(badImage);
  const running = new Set<string>();
  for (const pod of s.pods) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      if (cs.state?.running && cs.image && repository(cs.image) === repo && cs.image !== badImage)
        running.add(cs.image);
    }
  }
  if (running.size !== 1) return [];
  const image = [...running][0]!;
  return [
    {
      action: 'SetImage',
      args: { ...containerArgs(owner, container), image },
      confidence: 0.55,
      reasoning: `other pods in ${s.namespace} run ${image} from the same repository; ${badImage} cannot be pulled`,
    },
  ];
}

export const imagePullAnalyzer: Analyzer = {
  name: 'pod-image-pull',
  codes: ['IMAGE_NOT_FOUND', 'IMAGE_PULL_UNAUTHORIZED', 'IMAGE_PULL_FAILED'],
  analyze(s) {
    const failing = s.pods.flatMap((pod) =>
      containerStates(pod).filter((c) => PULL_REASONS.includes(c.status.state?.waiting?.reason)),
    );
    const findings: Finding[] = [];
    for (const [owner, items] of groupByOwner(s, failing)) {
      const first = items[0]!;
      const image = String(first.spec.image ?? first.status.image ?? '');
      const events = eventsFor(s, 'Pod', first.pod).filter(
        (e) =>
          e.reason === 'Failed' || e.reason === 'ErrImagePull' || /pull/i.test(String(e.message)),
      );
      const messages = [
        String(first.status.state?.waiting?.message ?? ''),
        ...events.map((e) => String(e.message ?? '')),
      ].join('\n');
      const pullSecrets = (first.pod.spec?.imagePullSecrets ?? []).map(
        (p: { name: string }) => p.name,
      );
      const evidence = [
        `${containerLabel(first)} image ${quote(image)}: waiting reason ${first.status.state.waiting.reason}`,
        `${items.length} pod(s) affected: ${items
          .slice(0, 5)
          .map((i) => i.pod.metadata.name)
          .join(', ')}`,
        ...events.slice(0, 2).map(eventEvidence),
      ];
      if (first.status.state?.waiting?.message)
        evidence.push(`status message: ${quote(first.status.state.waiting.message)}`);
      if (AUTH.test(messages)) {
        evidence.push(`imagePullSecrets: ${pullSecrets.length ? pullSecrets.join(', ') : 'none'}`);
        const fix = pullSecrets.length ? [] : pullSecretFix(s, owner, image);
        findings.push({
          code: 'IMAGE_PULL_UNAUTHORIZED',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation: `The registry refuses to serve ${image} without credentials${pullSecrets.length ? ' that work' : ''}. The pod has ${pullSecrets.length ? 'pull secrets, but the registry rejects them' : 'no imagePullSecrets'}.`,
          remediations: fix,
          ...(fix.length ? {} : { humanAction: pullSecretHint(s, owner, image, pullSecrets) }),
        });
        continue;
      }
      const notFound =
        NOT_FOUND.test(messages) || first.status.state.waiting.reason === 'InvalidImageName';
      const remediations = [
        ...rollbackFix(s, owner, first.name, image),
        ...siblingImageFix(s, owner, first.name, image),
      ];
      findings.push({
        code: notFound ? 'IMAGE_NOT_FOUND' : 'IMAGE_PULL_FAILED',
        severity: 'critical',
        object: objectOf(owner),
        evidence,
        explanation: notFound
          ? `The image ${image} does not exist in its registry (wrong name or tag), so the container never starts.`
          : `Pulling ${image} fails, so the container never starts.`,
        remediations,
        ...(remediations.length
          ? {}
          : {
              humanAction: `Choose an image for container ${first.name} that ${notFound ? 'exists' : 'can be pulled'} (${image} ${notFound ? 'does not' : 'cannot be pulled'}); no earlier revision or sibling pod shows a working one. Then ask "set the image of ${owner.metadata.name} to <image>" and Opsloop plans it.`,
            }),
      });
    }
    return findings;
  },
};
