import { PULL_SECRET_TYPE } from '../actions/pull-secrets.ts';
import type { KubeObject } from '../types.ts';
import { isWorkloadKind, topOwner } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Remediation } from './types.ts';

export function repository(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The registry host of an image reference, as the container runtime resolves it. */
export function registryHost(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : 'docker.io';
}

const secretsUnreadable = (s: Snapshot) => s.unreadable.some((u) => u.resource === 'secrets');

function unusedRegistrySecrets(s: Snapshot, used: string[]): string[] {
  return s.secrets
    .filter((x) => x.type === PULL_SECRET_TYPE && !used.includes(x.name))
    .map((x) => x.name);
}

/**
 * Pull secrets that Running pods of other workloads in the namespace use to pull from the
 * same registry host: readable without reading any Secret (a ServiceAccount's pull secrets
 * are copied into its pods' spec), and proof that the secret exists and the registry took it.
 */
function workingPullSecrets(s: Snapshot, owner: KubeObject, host: string, used: string[]) {
  const names = new Map<string, string>();
  for (const pod of s.pods) {
    if (pod.status?.phase !== 'Running') continue;
    const top = topOwner(s, pod);
    if (top.metadata.uid === owner.metadata.uid) continue;
    const pulled = (pod.status?.containerStatuses ?? []).some(
      (cs: { image?: string; state?: { running?: unknown } }) =>
        cs.state?.running && cs.image !== undefined && registryHost(cs.image) === host,
    );
    if (!pulled) continue;
    for (const ref of (pod.spec?.imagePullSecrets ?? []) as { name: string }[])
      if (!used.includes(ref.name) && !names.has(ref.name))
        names.set(ref.name, `${top.kind ?? 'Pod'} ${top.metadata.name}`);
  }
  return [...names].map(([name, by]) => ({ name, by }));
}

/**
 * One pull secret to reference, by name, when the cluster shows which: the only registry
 * secret (type dockerconfigjson) in the namespace that the pods do not use, or, where
 * Secrets cannot be read (Opsloop's default RBAC grants no access to them), the only one
 * that other Running pods use to pull from the same registry host. Otherwise none: which
 * secret holds the credentials is a person's call (Opsloop never reads a Secret's value).
 */
export function pullSecretFix(s: Snapshot, owner: KubeObject, image: string): Remediation[] {
  if (!isWorkloadKind(owner.kind)) return [];
  const current = ((owner.spec?.template?.spec?.imagePullSecrets ?? []) as { name: string }[]).map(
    (ref) => ref.name,
  );
  const args = (name: string) => ({
    namespace: owner.metadata.namespace,
    kind: owner.kind,
    name: owner.metadata.name,
    secrets: [...current, name],
  });
  const host = registryHost(image);
  const working = workingPullSecrets(s, owner, host, current);
  if (working.length === 1) {
    const [w] = working;
    return [
      {
        action: 'SetImagePullSecrets',
        args: args(w!.name),
        confidence: 0.7,
        reasoning: `${w!.by} pulls from ${host} with pull secret ${w!.name} and runs; ${owner.metadata.name}'s pods reference none, so referencing the same secret gives them the credentials that registry already accepted (no Secret was read)`,
      },
    ];
  }
  if (secretsUnreadable(s)) return [];
  const candidates = unusedRegistrySecrets(s, current);
  if (candidates.length !== 1) return [];
  return [
    {
      action: 'SetImagePullSecrets',
      args: args(candidates[0]!),
      confidence: 0.7,
      reasoning: `${candidates[0]} is the only registry secret (${PULL_SECRET_TYPE}) in ${s.namespace} and the pods do not reference it; whether it holds credentials for ${repository(image)} cannot be checked without reading it, which Opsloop never does`,
    },
  ];
}

/** What a person must do when no pull secret can be chosen from what the cluster shows. */
export function pullSecretHint(
  s: Snapshot,
  owner: KubeObject,
  image: string,
  used: string[],
): string {
  const sa = String(owner.spec?.template?.spec?.serviceAccountName ?? 'default');
  const where = `in the pod template's imagePullSecrets or on ServiceAccount ${sa}`;
  if (secretsUnreadable(s))
    return (
      `Opsloop cannot read Secrets in ${s.namespace} (its RBAC grants none, by design), so it cannot see whether a pull secret for ${registryHost(image)} exists there, and no other running pod shows one. ` +
      `If one exists, reference it by name ${where} (e.g. ask "set pull secret <name> on ${owner.metadata.name}"); otherwise create a Secret of type ${PULL_SECRET_TYPE} with credentials for ${registryHost(image)} first. Opsloop never invents credentials.`
    );
  const registry = unusedRegistrySecrets(s, used);
  if (registry.length) {
    return `Registry secrets ${registry.join(', ')} exist in ${s.namespace} but the pods do not use them: a person who knows which one holds the credentials for ${repository(image)} should choose it (SetImagePullSecrets can then reference it), or reference it on ServiceAccount ${sa}.`;
  }
  return `Provide registry credentials: create a Secret of type ${PULL_SECRET_TYPE} in ${s.namespace} for ${repository(image)} and reference it ${where}. Opsloop never invents credentials.`;
}
