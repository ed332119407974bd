/**
 * Rule matching exactly as Kubernetes RBAC does it: `*` wildcards on verbs, groups,
 * resources and non-resource URLs; `resource/subresource` and `* /subresource` entries;
 * resourceNames narrowing a rule to named objects (a request without a name never matches
 * a rule that lists names); a trailing `*` in a nonResourceURL as a prefix match.
 */

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What a request asks for, in the terms the authorizer sees. */
export interface RequestAttributes {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Set for requests to paths that are not resources ("/version", "/apis"). */
  nonResourcePath?: string;
}

export function isResourceRequest(attrs: RequestAttributes): boolean {
  return attrs.nonResourcePath === undefined;
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === '*' || g === group);
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  return (rule.resources ?? []).some((r) => {
    if (r === '*' || r === combined) return true;
    return subresource !== '' && r === `*/${subresource}`;
  });
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((url) => {
    if (url === '*' || url === path) return true;
    return url.endsWith('*') && path.startsWith(url.slice(0, -1));
  });
}

export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!isResourceRequest(attrs)) return nonResourceURLMatches(rule, attrs.nonResourcePath ?? '');
  return (
    apiGroupMatches(rule, attrs.apiGroup ?? '') &&
    resourceMatches(rule, attrs.resource ?? '', attrs.subresource ?? '') &&
    resourceNameMatches(rule, attrs.name ?? '')
  );
}

/** Reads `rules` from a stored Role/ClusterRole, tolerating missing lists. */
export function rulesOf(role: { [key: string]: unknown }): PolicyRule[] {
  if (!Array.isArray(role.rules)) return [];
  return (role.rules as Partial<PolicyRule>[]).map((r) => ({ ...r, verbs: r.verbs ?? [] }));
}
