import type { Step } from '@opsloop/contracts';
import type { Cluster } from '@opsloop/kube-tools';

/**
 * Stand-in for kube-tools' `stepPermissions` / `reviewStepAccess` (being added by the seams
 * work), with the same shape; switch the import when they land.
 */
export interface StepPermission {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string | null;
  name?: string;
}

export type StepAccessReview =
  | { allowed: true }
  | {
      allowed: false;
      stepIndex: number;
      stepId: string;
      permission: StepPermission;
      reason: string;
    };

export interface KubeSubject {
  user: string;
  groups: string[];
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** What the executor will do to the cluster for `step`, as RBAC attributes. */
export function stepPermissions(step: Step): StepPermission[] {
  const { target } = step;
  const on = (verb: string, extra: Partial<StepPermission> = {}): StepPermission => ({
    verb,
    group: groupOf(target.apiVersion),
    resource: plural(target.kind),
    namespace: target.namespace,
    name: target.name,
    ...extra,
  });
  switch (step.action) {
    case 'DeletePod':
      return [on('delete')];
    case 'RecreateJob':
      return [on('delete'), on('create', { name: undefined })];
    case 'DrainNode': {
      const evictions = (step.diff.find((d) => d.path === 'evictions')?.before ?? []) as unknown[];
      const pods = evictions.filter(
        (key): key is string => typeof key === 'string' && key.includes('/'),
      );
      return [
        on('patch'),
        ...pods.map((key) => {
          const [namespace, name] = key.split('/') as [string, string];
          return {
            verb: 'create',
            group: '',
            resource: 'pods',
            subresource: 'eviction',
            namespace,
            name,
          };
        }),
      ];
    }
    default:
      return [on('patch')];
  }
}

/** One SubjectAccessReview per permission of every step; the first denial is returned. */
export async function reviewStepAccess(
  cluster: Cluster,
  subject: KubeSubject,
  steps: readonly Step[],
): Promise<StepAccessReview> {
  for (const [stepIndex, step] of steps.entries()) {
    for (const permission of stepPermissions(step)) {
      const review = await cluster.request<{ status?: { allowed?: boolean; reason?: string } }>(
        'POST',
        '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: subject.user,
              groups: subject.groups,
              resourceAttributes: {
                verb: permission.verb,
                group: permission.group,
                resource: permission.resource,
                subresource: permission.subresource,
                namespace: permission.namespace ?? undefined,
                name: permission.name,
              },
            },
          },
        },
      );
      if (review.status?.allowed !== true) {
        return {
          allowed: false,
          stepIndex,
          stepId: step.id,
          permission,
          reason: review.status?.reason ?? '',
        };
      }
    }
  }
  return { allowed: true };
}

/** "patch apps/deployments shop/checkout" — how a refusal names the missing permission. */
export function describePermission(p: StepPermission): string {
  const resource = `${p.group === '' ? '' : `${p.group}/`}${p.resource}${p.subresource ? `/${p.subresource}` : ''}`;
  const object = `${p.namespace === null ? '' : `${p.namespace}/`}${p.name ?? '*'}`;
  return `${p.verb} ${resource} ${object}`;
}
