import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import {
  conditionOf,
  eventEvidence,
  eventsFor,
  isStillStarting,
  isWorkloadKind,
  previousRevision,
  revisions,
  topOwner,
} from './helpers.ts';
import { quotaFitFix } from './quota-fit.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

export const rolloutAnalyzer: Analyzer = {
  name: 'deployment-rollout',
  codes: ['ROLLOUT_STUCK', 'WORKLOAD_UNAVAILABLE'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const d of s.deployments) {
      const progressing = conditionOf(d, 'Progressing');
      const desired = d.spec?.replicas ?? 1;
      const available = d.status?.availableReplicas ?? 0;
      if (progressing?.reason === 'ProgressDeadlineExceeded') {
        const previous = previousRevision(s, d);
        const current = revisions(s, d)[0];
        const image = (rs: KubeObject | undefined) =>
          (rs?.spec?.template?.spec?.containers ?? [])
            .map((c: { image: string }) => c.image)
            .join(', ');
        findings.push({
          code: 'ROLLOUT_STUCK',
          severity: 'critical',
          object: objectOf(d, 'Deployment'),
          evidence: [
            `condition Progressing=False reason ProgressDeadlineExceeded: ${quote(String(progressing.message ?? ''))}`,
            `replicas desired ${desired}, updated ${d.status?.updatedReplicas ?? 0}, available ${available}`,
            ...(current
              ? [`revision ${current.revision} images: ${quote(image(current.rs))}`]
              : []),
            ...(previous
              ? [`revision ${previous.revision} images: ${quote(image(previous.rs))}`]
              : []),
          ],
          explanation: `The latest rollout of ${d.metadata.name} has not made progress within its deadline; its new pods do not become available.`,
          remediations: previous
            ? [
                {
                  action: 'RolloutUndo',
                  args: {
                    namespace: s.namespace,
                    kind: 'Deployment',
                    name: d.metadata.name,
                    toRevision: previous.revision,
                  },
                  confidence: 0.8,
                  reasoning: `revision ${previous.revision} was the last one before the stuck rollout; rolling back restores it while the new version is fixed`,
                },
              ]
            : [],
          ...(previous
            ? {}
            : {
                humanAction:
                  'There is no earlier revision to go back to; fix the new pod template.',
              }),
        });
      } else if (available < desired && !d.spec?.paused) {
        const starting = isStillStarting(s, d, 'Deployment');
        findings.push({
          code: 'WORKLOAD_UNAVAILABLE',
          severity: starting ? 'info' : 'warning',
          object: objectOf(d, 'Deployment'),
          evidence: [
            `replicas desired ${desired}, available ${available}, ready ${d.status?.readyReplicas ?? 0}`,
          ],
          explanation: starting
            ? `${d.metadata.name} is still starting: fewer replicas are available than desired, and no pod shows an error yet.`
            : `${d.metadata.name} runs fewer available replicas than desired.`,
          remediations: [],
        });
      }
    }
    for (const w of s.statefulSets) {
      const sts = w.kind === 'StatefulSet';
      const desired = sts ? (w.spec?.replicas ?? 1) : (w.status?.desiredNumberScheduled ?? 0);
      const ready = sts ? (w.status?.readyReplicas ?? 0) : (w.status?.numberReady ?? 0);
      if (ready < desired) {
        const starting = isStillStarting(s, w, w.kind ?? 'StatefulSet');
        findings.push({
          code: 'WORKLOAD_UNAVAILABLE',
          severity: starting ? 'info' : 'warning',
          object: objectOf(w),
          evidence: [`desired ${desired}, ready ${ready}`],
          explanation: starting
            ? `${w.kind} ${w.metadata.name} is still starting: fewer pods are ready than desired, and no pod shows an error yet.`
            : `${w.kind} ${w.metadata.name} has fewer ready pods than desired.`,
          remediations: [],
        });
      }
      if (
        sts &&
        w.spec?.serviceName &&
        !s.services.some((x) => x.metadata.name === w.spec.serviceName)
      ) {
        findings.push({
          code: 'STATEFULSET_SERVICE_MISSING',
          severity: 'warning',
          object: objectOf(w),
          evidence: [
            `serviceName: ${quote(String(w.spec.serviceName))}`,
            'no Service of that name exists',
          ],
          explanation:
            'The StatefulSet names a governing (headless) Service that does not exist, so its pods get no stable DNS names.',
          remediations: [],
          humanAction: `Create the headless Service ${String(w.spec.serviceName)} for the StatefulSet's pods.`,
        });
      }
    }
    return findings;
  },
};

const QUOTA = /exceeded quota: ([^,]+), requested: ([^ ]+?), used: ([^ ]+?), limited: ([^ \n]+)/;
const NEEDS_LIMITS = /failed quota: ([^:]+): must specify ([^\n]+)/;

function limitsFix(s: Snapshot, owner: KubeObject): Remediation[] {
  if (!isWorkloadKind(owner.kind)) return [];
  const fixes: Remediation[] = [];
  for (const c of owner.spec?.template?.spec?.containers ?? []) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    const add: Record<string, string> = {};
    for (const r of ['cpu', 'memory'])
      if (limits[r] === undefined && requests[r] !== undefined) add[r] = requests[r];
    if (!Object.keys(add).length) continue;
    fixes.push({
      action: 'SetContainerResources',
      args: {
        namespace: s.namespace,
        kind: owner.kind,
        name: owner.metadata.name,
        container: c.name,
        limits: add,
      },
      confidence: 0.6,
      reasoning: `the quota requires limits; setting them equal to the container's requests (${JSON.stringify(add)}) admits the pods without granting more than they already ask for`,
    });
  }
  return fixes;
}

export const createFailureAnalyzer: Analyzer = {
  name: 'controller-create-failure',
  codes: ['QUOTA_EXCEEDED', 'QUOTA_REQUIRES_LIMITS', 'POD_CREATE_FAILED'],
  analyze(s) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const ctrl of [...s.replicaSets, ...s.statefulSets, ...s.daemonSets, ...s.jobs]) {
      if (ctrl.kind === 'ReplicaSet' && (ctrl.spec?.replicas ?? 0) === 0) continue;
      const failure = conditionOf(ctrl, 'ReplicaFailure');
      const event = eventsFor(s, ctrl.kind ?? 'ReplicaSet', ctrl).find(
        (e) => e.reason === 'FailedCreate',
      );
      const message = String(
        (failure?.status === 'True' ? failure.message : undefined) ?? event?.message ?? '',
      );
      if (!message) continue;
      const owner = topOwner(s, ctrl);
      const key = `${owner.kind}/${owner.metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const evidence = [
        `${ctrl.kind} ${ctrl.metadata.name} cannot create pods: ${quote(message, 300)}`,
        ...(event ? [eventEvidence(event)] : []),
      ];
      const quotas = [...message.matchAll(/exceeded quota: ([^,]+)/g)].map((x) => x[1]);
      const exceeded = QUOTA.exec(message);
      if (exceeded) {
        // A quota is the namespace's budget, set by whoever owns it: raising it is never proposed
        // as a fix. The workload's own request is: sized to what the quota leaves (quota-fit.ts).
        const fixes: Remediation[] = quotaFitFix(s, owner, message);
        findings.push({
          code: 'QUOTA_EXCEEDED',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation: `New pods of ${owner.metadata.name} would exceed ResourceQuota ${exceeded[1]}, so the API server refuses them.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction: `Right-size the per-pod requests (${exceeded[2]} each now) so the replicas fit in ResourceQuota ${quotas.join(', ')} (${exceeded[3]} used of ${exceeded[4]}), or ask the quota's owners for more; only someone who knows the workload's real usage can choose.`,
              }),
        });
        continue;
      }
      if (NEEDS_LIMITS.test(message)) {
        const fixes = limitsFix(s, owner);
        findings.push({
          code: 'QUOTA_REQUIRES_LIMITS',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation: `A ResourceQuota in ${s.namespace} tracks limits, so every pod must declare them; ${owner.metadata.name}'s pods do not.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction:
                  'Set cpu/memory limits on the containers (or add a LimitRange with defaults); they declare no requests to derive them from.',
              }),
        });
        continue;
      }
      findings.push({
        code: 'POD_CREATE_FAILED',
        severity: 'critical',
        object: objectOf(owner),
        evidence,
        explanation: `The controller cannot create pods for ${owner.metadata.name}; the API server's message says why.`,
        remediations: [],
        humanAction: 'Fix what the message names (admission policy, service account, or quota).',
      });
    }
    return findings;
  },
};
