/**
 * The 403 message of kube-apiserver, word for word, because kubectl prints it verbatim and
 * people (and Opsloop's analyzers) read it:
 *   pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "shop"
 *   deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"
 *   nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope
 *   forbidden: User "bob" cannot get path "/apis"
 * A non-empty authorizer reason (RBAC reports broken role references) follows after ": ".
 */
import type { UserInfo } from '../api/types.ts';
import { isResourceRequest, type RequestAttributes } from './rules.ts';

/** The API server escapes these before the message reaches any client. */
function sanitize(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function denial(user: UserInfo, attrs: RequestAttributes): string {
  const who = `User "${user.username}"`;
  if (!isResourceRequest(attrs))
    return `${who} cannot ${attrs.verb} path "${attrs.nonResourcePath ?? ''}"`;
  const resource =
    attrs.subresource !== undefined && attrs.subresource !== ''
      ? `${attrs.resource ?? ''}/${attrs.subresource}`
      : (attrs.resource ?? '');
  const what = `${who} cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup ?? ''}"`;
  const ns = attrs.namespace ?? '';
  return ns !== '' ? `${what} in the namespace "${ns}"` : `${what} at the cluster scope`;
}

export function forbiddenMessage(user: UserInfo, attrs: RequestAttributes, reason = ''): string {
  const detail = sanitize(denial(user, attrs)) + (reason === '' ? '' : `: ${reason}`);
  const resource = attrs.resource ?? '';
  if (!isResourceRequest(attrs) || resource === '') return `forbidden: ${detail}`;
  const group = attrs.apiGroup ?? '';
  const qualified = group === '' ? resource : `${resource}.${group}`;
  const name = attrs.name ?? '';
  return name === ''
    ? `${qualified} is forbidden: ${detail}`
    : `${qualified} "${name}" is forbidden: ${detail}`;
}

/** The Status `details` of the same 403 (kind is the resource, as in apierrors.NewForbidden). */
export function forbiddenDetails(attrs: RequestAttributes): {
  name?: string;
  group: string;
  kind: string;
} {
  const details: { name?: string; group: string; kind: string } = {
    group: attrs.apiGroup ?? '',
    kind: attrs.resource ?? '',
  };
  if (attrs.name !== undefined && attrs.name !== '') details.name = attrs.name;
  return details;
}
