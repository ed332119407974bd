import type { Cluster } from '../cluster.ts';
import { kindInfo } from '../kinds.ts';
import { getAction } from './catalog.ts';
import { parseArgs } from './engine.ts';
import { plannedPods } from './node.ts';
import type { PlannedStep } from './types.ts';

/**
 * The Kubernetes requests applying a step makes, derived from its action and args (never
 * from the step's own target): what the gateway checks before it grants an approval and
 * the executor checks before each step, with a SubjectAccessReview per request. The reads
 * are in it too: applyStep re-derives the step against the live objects it names.
 */
export interface KubeRequest {
  verb: 'get' | 'list' | 'patch' | 'create' | 'delete';
  /** API group; '' for the core group. */
  group: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  subresource?: string;
  /** null for cluster-scoped resources. */
  namespace: string | null;
  /** null for list and create, which RBAC checks without a name. */
  name: string | null;
}

export interface AccessDenial {
  verb: string;
  group: string;
  /** "pods" or, with a subresource, "pods/eviction". */
  resource: string;
  namespace: string | null;
  name: string | null;
  /** The authorizer's reason (RBAC names no rule when nothing allows it). */
  reason: string;
}

export interface AccessReview {
  allowed: boolean;
  denied: AccessDenial[];
}

function on(
  verb: KubeRequest['verb'],
  kind: string,
  namespace: string | null,
  name: string | null,
  subresource?: string,
): KubeRequest {
  const info = kindInfo(kind);
  const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0]! : '';
  const request: KubeRequest = { verb, group, resource: info.plural, namespace, name };
  if (subresource) request.subresource = subresource;
  return request;
}

/** Reads an action's compute makes besides its target (kept next to the catalog's list). */
const EXTRA_READS: Record<string, (args: Record<string, string>) => KubeRequest[]> = {
  RolloutUndo: (a) => [on('list', 'ReplicaSet', a.namespace!, null)],
  SetConfigMapVolume: (a) => [on('get', 'ConfigMap', a.namespace!, a.configMap!)],
  // Metadata only (PartialObjectMetadataList), but RBAC knows no such verb: it is `list`.
  SetImagePullSecrets: (a) => [on('list', 'Secret', a.namespace!, null)],
};

export function stepPermissions(step: PlannedStep): KubeRequest[] {
  const action = getAction(step.action);
  const args = parseArgs(action, step.args) as Record<string, string>;
  const ref = (
    action.target as (a: unknown) => { kind: string; namespace: string | null; name: string }
  )(args);
  const target = (verb: KubeRequest['verb'], name: string | null = ref.name) =>
    on(verb, ref.kind, ref.namespace, name);
  switch (action.name) {
    case 'DeletePod':
      return [target('get'), target('delete')];
    case 'RecreateJob':
      return [target('get'), target('delete'), target('create', null)];
    case 'DrainNode':
      return [
        target('get'),
        target('patch'),
        ...plannedPods(step).flatMap((pod) => [
          on('get', 'Pod', pod.namespace, pod.name),
          on('create', 'Pod', pod.namespace, pod.name, 'eviction'),
        ]),
      ];
    default:
      return [target('get'), ...(EXTRA_READS[action.name]?.(args) ?? []), target('patch')];
  }
}

interface ReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/**
 * One SubjectAccessReview per request of `stepPermissions(step)`, asked as `cluster`'s
 * identity (which needs `create subjectaccessreviews`) on behalf of `subject`.
 */
export async function reviewStepAccess(
  cluster: Cluster,
  subject: { user: string; groups?: readonly string[] },
  step: PlannedStep,
): Promise<AccessReview> {
  const requests = stepPermissions(step);
  const answers = await Promise.all(
    requests.map((request) =>
      cluster.request<{ status?: ReviewStatus }>(
        'POST',
        '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: subject.user,
              groups: [...(subject.groups ?? [])],
              resourceAttributes: {
                verb: request.verb,
                group: request.group,
                resource: request.resource,
                ...(request.subresource ? { subresource: request.subresource } : {}),
                ...(request.namespace ? { namespace: request.namespace } : {}),
                ...(request.name ? { name: request.name } : {}),
              },
            },
          },
        },
      ),
    ),
  );
  const denied: AccessDenial[] = [];
  answers.forEach((answer, index) => {
    const status = answer.status ?? {};
    if (status.allowed === true) return;
    const request = requests[index]!;
    denied.push({
      verb: request.verb,
      group: request.group,
      resource: request.subresource
        ? `${request.resource}/${request.subresource}`
        : request.resource,
      namespace: request.namespace,
      name: request.name,
      reason: status.reason || status.evaluationError || 'no RBAC rule allows it',
    });
  });
  return { allowed: denied.length === 0, denied };
}
