import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { KubeApiError, PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import { objectPath } from '../kinds.ts';
import { Name } from '../validation.ts';
import {
  POD_SPEC,
  diffBefore,
  rolloutChecks,
  workloadArgs,
  workloadFields,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition } from './types.ts';

/** The only Secret type the kubelet reads registry credentials from in the modern format. */
export const PULL_SECRET_TYPE = 'kubernetes.io/dockerconfigjson';

const PullSecretsArgs = z.strictObject({
  ...workloadFields,
  /** The complete list, in order; an empty list removes every reference. */
  secrets: z
    .array(Name)
    .max(10)
    .refine((names) => new Set(names).size === names.length, 'names must be unique'),
});

/**
 * Registry secrets (by name) of `namespace`, asked for as metadata only with a field
 * selector on the type: the credentials never cross the wire, and nothing is created.
 */
async function registrySecretNames(cluster: Cluster, namespace: string): Promise<Set<string>> {
  const list = await cluster.request<{ kind?: string; items: { metadata: { name: string } }[] }>(
    'GET',
    objectPath('Secret', namespace),
    {
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
      query: { fieldSelector: `type=${PULL_SECRET_TYPE}` },
    },
  );
  if (list.kind !== 'PartialObjectMetadataList')
    throw new PreconditionError(
      'SetImagePullSecrets',
      `the API server did not answer Secret metadata only (${String(list.kind)}); not reading Secrets in full`,
    );
  return new Set(list.items.map((item) => item.metadata.name));
}

async function registrySecretNamesIfReadable(
  cluster: Cluster,
  namespace: string,
): Promise<Set<string> | null> {
  try {
    return await registrySecretNames(cluster, namespace);
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 403) return null;
    throw error;
  }
}

export const SetImagePullSecrets: ActionDefinition<z.infer<typeof PullSecretsArgs>> = {
  name: 'SetImagePullSecrets',
  description: `Set a workload's pod imagePullSecrets to existing Secrets of type ${PULL_SECRET_TYPE}, by name. Never creates or reads a Secret.`,
  schema: PullSecretsArgs,
  risk: 'medium',
  target: workloadTarget,
  async compute(live, a, cluster) {
    const before = ((live.spec?.template?.spec?.imagePullSecrets ?? []) as { name: string }[]).map(
      (ref) => ref.name,
    );
    // Names already referenced may stay whatever they are; every added one must exist with the right type.
    const added = a.secrets.filter((name) => !before.includes(name));
    // An identity without `list secrets` (Opsloop's default RBAC grants none) cannot check:
    // the reference is written unchecked and the summary says so. A name that does not
    // exist only leaves the pods in ImagePullBackOff, which the rollout checks catch.
    const existing = added.length
      ? await registrySecretNamesIfReadable(cluster, a.namespace)
      : null;
    const unchecked = added.length > 0 && existing === null;
    if (existing) {
      const missing = added.filter((name) => !existing.has(name));
      if (missing.length)
        throw new PreconditionError(
          'SetImagePullSecrets',
          `no Secret of type ${PULL_SECRET_TYPE} named ${missing.join(', ')} in ${a.namespace}` +
            ` (registry secrets there: ${[...existing].sort().join(', ') || 'none'}); a person must create it`,
        );
    }
    return {
      ops: setOps(
        live,
        [...POD_SPEC, 'imagePullSecrets'],
        a.secrets.map((name) => ({ name })),
      ),
      summary:
        `set imagePullSecrets of ${a.kind} ${a.namespace}/${a.name} to [${a.secrets.join(', ')}] (was [${before.join(', ')}])` +
        (unchecked
          ? `; that ${added.join(', ')} exists was not checked (Secrets are not readable)`
          : ''),
    };
  },
  checks: rolloutChecks,
  inverse: (step) => ({
    action: 'SetImagePullSecrets',
    args: {
      ...workloadArgs(step),
      secrets: ((diffBefore(step, '.imagePullSecrets') ?? []) as { name: string }[]).map(
        (ref) => ref.name,
      ),
    },
  }),
};
