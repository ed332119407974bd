import { z } from 'zod';
import type { Cluster } from '../cluster.ts';
import { PreconditionError } from '../errors.ts';
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
    if (added.length) {
      const existing = await registrySecretNames(cluster, a.namespace);
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
      summary: `set imagePullSecrets of ${a.kind} ${a.namespace}/${a.name} to [${a.secrets.join(', ')}] (was [${before.join(', ')}])`,
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
