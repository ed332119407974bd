import type { Cluster } from '@opsloop/kube-tools';
import { saUser } from './sim.ts';

/** One request as the authorizer sees it: `verb resource[/sub] [namespace] [name]`. */
export interface Access {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
}

/**
 * "patch apps:deployments shop", "get namespaces - kube-system", "create pods/exec shop":
 * verb, [group:]resource[/subresource], namespace ("-" = none), name.
 */
export function access(text: string): Access {
  const [verb = '', what = '', namespace, name] = text.split(' ');
  const colon = what.indexOf(':');
  const result: Access = {
    verb,
    group: colon < 0 ? '' : what.slice(0, colon),
    resource: what.slice(colon + 1),
  };
  if (namespace !== undefined && namespace !== '-') result.namespace = namespace;
  if (name !== undefined) result.name = name;
  return result;
}

/**
 * Asks the API server (SubjectAccessReview, as the admin) whether the ServiceAccount may
 * make the request, with the groups Kubernetes gives every ServiceAccount token.
 */
export async function allowed(
  cluster: Cluster,
  account: string,
  request: Access,
): Promise<boolean> {
  const [resource, subresource] = request.resource.split('/');
  const review = await cluster.request<{ status?: { allowed?: boolean } }>(
    'POST',
    '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: saUser(account),
          groups: [
            'system:serviceaccounts',
            'system:serviceaccounts:opsloop',
            'system:authenticated',
          ],
          resourceAttributes: {
            verb: request.verb,
            group: request.group ?? '',
            resource,
            ...(subresource === undefined ? {} : { subresource }),
            ...(request.namespace === undefined ? {} : { namespace: request.namespace }),
            ...(request.name === undefined ? {} : { name: request.name }),
          },
        },
      },
    },
  );
  return review.status?.allowed === true;
}
