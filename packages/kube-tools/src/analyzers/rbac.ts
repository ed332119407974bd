import { quote } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { topOwner } from './helpers.ts';
import { parseDenials } from './rbac-denials.ts';
import type { Denial } from './rbac-denials.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding } from './types.ts';
import { objectOf } from './types.ts';

type Rule = {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
};

/** Verbs that act on a collection: a rule limited to resourceNames never grants them. */
const COLLECTION_VERBS = new Set(['list', 'watch', 'create', 'deletecollection']);

function grants(rule: Rule, d: Denial): boolean {
  const has = (list: string[] | undefined, value: string) =>
    (list ?? []).includes('*') || (list ?? []).includes(value);
  if (!has(rule.apiGroups, d.group) || !has(rule.verbs, d.verb)) return false;
  if (!has(rule.resources, d.resource)) return false;
  return !(rule.resourceNames?.length && COLLECTION_VERBS.has(d.verb));
}

function bindsAccount(binding: KubeObject, d: Denial): boolean {
  return ((binding.subjects ?? []) as { kind: string; name: string; namespace?: string }[]).some(
    (sub) =>
      (sub.kind === 'ServiceAccount' &&
        sub.name === d.account.name &&
        (sub.namespace ?? binding.metadata.namespace) === d.account.namespace) ||
      (sub.kind === 'Group' &&
        (sub.name === 'system:serviceaccounts' ||
          sub.name === `system:serviceaccounts:${d.account.namespace}` ||
          sub.name === 'system:authenticated')),
  );
}

const ruleText = (r: Rule) =>
  `${(r.verbs ?? []).join(', ')} on ${(r.resources ?? []).join(', ') || '(none)'}` +
  ` (API group ${(r.apiGroups ?? []).map((g) => `"${g}"`).join(', ') || '(none)'})` +
  (r.resourceNames?.length ? ` named ${r.resourceNames.join(', ')}` : '');

const groupText = (g: string) => (g === '' ? 'the core API group ""' : `API group "${g}"`);

interface Bound {
  binding: KubeObject;
  role: KubeObject | undefined;
  ref: { kind: string; name: string };
}

/** What the namespace's RoleBindings give the account, and whether any rule grants the request. */
function boundRoles(s: Snapshot, d: Denial): Bound[] {
  return s.rbac.roleBindings
    .filter((b) => bindsAccount(b, d))
    .map((binding) => {
      const ref = { kind: String(binding.roleRef?.kind), name: String(binding.roleRef?.name) };
      const pool = ref.kind === 'Role' ? s.rbac.roles : s.rbac.clusterRoles;
      return { binding, ref, role: pool.find((r) => r.metadata.name === ref.name) };
    });
}

function humanAction(d: Denial, bound: Bound[], rbacRead: boolean): string {
  const need = `verb "${d.verb}" on resource "${d.resource}" in ${groupText(d.group)}`;
  const account = `ServiceAccount ${d.account.namespace}/${d.account.name}`;
  const where =
    d.namespace === null
      ? 'at the cluster scope (a ClusterRole and a ClusterRoleBinding)'
      : `in namespace ${d.namespace}`;
  const grantOnly =
    ' Grant only that: not cluster-admin, not a broader ClusterRole. Opsloop proposes no RBAC change itself: granting a permission is a person’s decision.';
  const role = bound.find((b) => b.ref.kind === 'Role' && b.role)?.role;
  if (d.namespace === d.account.namespace && role) {
    // A rule that already has the verb in the right group, on other resources, is the
    // likely slip (a Role copied from another team's): say which one.
    const near = ((role.rules ?? []) as Rule[]).find(
      (r) => grants({ ...r, resources: [d.resource] }, d) && !grants(r, d),
    );
    return (
      `Add ${need} to Role ${role.metadata.name} (already bound to ${account}), e.g. ` +
      `\`kubectl -n ${d.namespace} edit role ${role.metadata.name}\`` +
      (near
        ? `; its rule "${ruleText(near)}" has the verb: if that rule was meant for ${d.resource}, change its resources.`
        : '.') +
      grantOnly
    );
  }
  if (!rbacRead || d.namespace !== d.account.namespace)
    return `Grant ${account} ${need} ${where}, with a Role (or ClusterRole) and a binding to the account.${grantOnly}`;
  return `No RoleBinding in ${d.namespace} gives ${account} a Role that it can change safely: create a Role with ${need} and a RoleBinding of it to the account, e.g. \`kubectl -n ${d.namespace} create role ${d.account.name} --verb=${d.verb} --resource=${d.resource}${d.group ? `.${d.group}` : ''}\` and \`kubectl -n ${d.namespace} create rolebinding ${d.account.name} --role=${d.account.name} --serviceaccount=${d.account.namespace}:${d.account.name}\`.${grantOnly}`;
}

/**
 * A container whose log quotes the API server refusing its ServiceAccount a request: the
 * identity the pod runs as lacks a permission. The finding names the account, the exact
 * verb/resource/group/namespace refused (from the quoted line, cluster data), the bindings
 * and rules it has now, and what a person must grant. No typed fix: Opsloop never widens
 * RBAC. Logs are only those the snapshot read (crashing containers).
 */
export const rbacAnalyzer: Analyzer = {
  name: 'rbac',
  codes: ['RBAC_PERMISSION_DENIED'],
  analyze(s) {
    const rbacRead = !s.unreadable.some(
      (u) => u.resource === 'roles' || u.resource === 'rolebindings',
    );
    const byOwner = new Map<
      string,
      { owner: KubeObject; pod: string; state: string; denials: Denial[] }
    >();
    for (const [key, log] of Object.entries(s.logs)) {
      const [podName, container] = key.split('/');
      const pod = s.pods.find((p) => p.metadata.name === podName);
      if (!pod) continue;
      const account = String(pod.spec?.serviceAccountName ?? pod.spec?.serviceAccount ?? 'default');
      // Only refusals of the account this pod runs as: a log may quote others' errors.
      const denials = parseDenials(log).filter(
        (d) => d.account.namespace === s.namespace && d.account.name === account,
      );
      if (!denials.length) continue;
      const owner = topOwner(s, pod);
      const id = `${owner.kind}/${owner.metadata.name}`;
      const cs = [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ].find((c: { name: string }) => c.name === container);
      const last = cs?.state?.terminated ?? cs?.lastState?.terminated;
      const state = cs
        ? `container ${container}: ${cs.state?.waiting?.reason ?? (cs.state?.running ? 'running' : 'terminated')}, last exit code ${last?.exitCode ?? '?'}, restarts ${cs.restartCount ?? 0}`
        : '';
      const entry = byOwner.get(id) ?? {
        owner,
        pod: `${podName}/${container}`,
        state,
        denials: [],
      };
      for (const d of denials)
        if (!entry.denials.some((x) => x.verb === d.verb && x.resource === d.resource))
          entry.denials.push(d);
      byOwner.set(id, entry);
    }
    const findings: Finding[] = [];
    for (const { owner, pod, state, denials } of byOwner.values()) {
      for (const d of denials.slice(0, 3)) {
        const bound = boundRoles(s, d);
        const granted = bound.some((b) =>
          ((b.role?.rules ?? []) as Rule[]).some((r) => grants(r, d)),
        );
        const target =
          d.namespace === null ? 'at the cluster scope' : `in namespace ${d.namespace}`;
        const account = `ServiceAccount ${d.account.name}`;
        const has = bound.map((b) =>
          b.role
            ? `${b.binding.kind ?? 'RoleBinding'} ${b.binding.metadata.name} binds ${b.ref.kind} ${b.ref.name}: ${((b.role.rules ?? []) as Rule[]).map(ruleText).join('; ') || 'no rules'}`
            : `RoleBinding ${b.binding.metadata.name} binds ${b.ref.kind} ${b.ref.name}, which ${b.ref.kind === 'Role' ? 'does not exist' : 'was not read'}`,
        );
        const rbacEvidence = !rbacRead
          ? ['Roles/RoleBindings of the namespace could not be read (forbidden)']
          : has.length
            ? has
            : [`no RoleBinding in ${s.namespace} binds ${account}`];
        findings.push({
          code: 'RBAC_PERMISSION_DENIED',
          severity: granted ? 'warning' : 'critical',
          object: objectOf(owner),
          evidence: [
            `log of ${pod} (untrusted, quoted): ${quote(d.line, 300)}`,
            `pods of ${owner.kind} ${owner.metadata.name} run as ${account}`,
            ...(state ? [state] : []),
            ...rbacEvidence,
            ...(rbacRead && !granted
              ? [`no bound rule grants "${d.verb}" on "${d.resource}" (${groupText(d.group)})`]
              : []),
          ],
          explanation: granted
            ? `The API server refused ${account} "${d.verb}" on ${d.resource} ${target} (the log quotes it), but a Role bound to it grants that now: the refusal predates the current rules, and the next restart of the container should pass.`
            : `${account}, the identity of ${owner.kind} ${owner.metadata.name}'s pods, is not permitted to ${d.verb} ${d.resource} ${target}: the API server refuses it (the log quotes the refusal) and ${has.length ? 'the Roles bound to it grant no such rule' : rbacRead ? 'no Role is bound to it' : 'its Roles could not be read'}. RBAC forbids what the program needs, so it fails.`,
          remediations: [],
          humanAction: granted
            ? `Nothing to grant: ${account} has "${d.verb}" on ${d.resource} now. If the container keeps failing, read its new log.`
            : humanAction(d, bound, rbacRead),
        });
      }
    }
    return findings;
  },
};
