import { ACTIONS } from '../actions/catalog.ts';
import type { TargetRef } from '../actions/types.ts';
import type { KubeObject } from '../types.ts';
import { isPodReady } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

/** Actions on a StatefulSet that do not change its pod template, so replace no pod. */
const NOT_TEMPLATE = new Set(['ScaleWorkload']);
const MAX_PODS = 5;

function ownedBy(pod: KubeObject, sts: TargetRef): boolean {
  return (pod.metadata.ownerReferences ?? []).some(
    (o) => o.controller && o.kind === 'StatefulSet' && o.name === sts.name,
  );
}

/**
 * A StatefulSet does not replace a pod that is not Running and Ready when its template
 * changes: with RollingUpdate its controller waits for every pod to be healthy before it
 * replaces any (the pod stuck Pending or crash-looping on the old template blocks the
 * rollout for good, kubernetes/kubernetes#67250), and with OnDelete it replaces none by
 * itself. So a fix to the template of a StatefulSet whose pods are stuck only takes effect
 * once those pods are deleted: each such remediation gets a DeletePod follow-up per stuck
 * pod (at most five), which its controller recreates from the fixed template.
 */
export function addStuckPodFollowUps(s: Snapshot, remediation: Remediation): Remediation {
  const action = ACTIONS[remediation.action];
  if (!action || NOT_TEMPLATE.has(remediation.action)) return remediation;
  const target = action.target(remediation.args as never);
  if (target.kind !== 'StatefulSet' || target.namespace !== s.namespace) return remediation;
  const sts = s.statefulSets.find((x) => x.metadata.name === target.name);
  if (!sts) return remediation;
  const stuck = s.pods
    .filter((p) => ownedBy(p, target) && !p.metadata.deletionTimestamp && !isPodReady(p))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .slice(0, MAX_PODS);
  if (!stuck.length) return remediation;
  const strategy = String(sts.spec?.updateStrategy?.type ?? 'RollingUpdate');
  const why =
    strategy === 'OnDelete'
      ? `StatefulSet ${target.name} uses the OnDelete update strategy: it replaces no pod when its template changes`
      : `StatefulSet ${target.name} replaces pods with a new template only while all its pods are Running and Ready`;
  return {
    ...remediation,
    followUps: [
      ...(remediation.followUps ?? []),
      ...stuck.map((p) => ({
        action: 'DeletePod',
        args: { namespace: s.namespace, name: p.metadata.name },
        reasoning: `${why}; pod ${p.metadata.name} is ${String(p.status?.phase ?? 'not ready')} and not Ready, so it stays on the old template until it is deleted and the controller recreates it from the fixed one`,
      })),
    ],
  };
}
