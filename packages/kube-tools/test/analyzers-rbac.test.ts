import { describe, expect, it } from 'vitest';
import { parseDenials } from '../src/analyzers/rbac-denials.ts';
import { analyzeSnapshot, emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';

const REFUSED =
  'E0101 reflector.go:158] failed to list *v1.Secret: secrets is forbidden: User "system:serviceaccount:team:sync" cannot list resource "secrets" in API group "" in the namespace "team"';

describe('parseDenials: the API server refusal as clients log it', () => {
  it('reads account, verb, resource, group and namespace; escaped quotes too; once per request', () => {
    const json =
      '{"level":"error","msg":"leases.coordination.k8s.io \\"x\\" is forbidden: User \\"system:serviceaccount:team:sync\\" cannot get resource \\"leases\\" in API group \\"coordination.k8s.io\\" in the namespace \\"team\\""}';
    const cluster =
      'nodes is forbidden: User "system:serviceaccount:team:sync" cannot list resource "nodes" in API group "" at the cluster scope';
    const denials = parseDenials([REFUSED, REFUSED, json, cluster, 'plain error'].join('\n'));
    expect(denials.map(({ line: _line, ...d }) => d)).toEqual([
      {
        account: { namespace: 'team', name: 'sync' },
        verb: 'list',
        resource: 'secrets',
        group: '',
        namespace: 'team',
      },
      {
        account: { namespace: 'team', name: 'sync' },
        verb: 'get',
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: 'team',
      },
      {
        account: { namespace: 'team', name: 'sync' },
        verb: 'list',
        resource: 'nodes',
        group: '',
        namespace: null,
      },
    ]);
  });

  it('ignores users that are not ServiceAccounts and non-resource paths', () => {
    expect(
      parseDenials(
        'User "jane@example.com" cannot list resource "pods" in API group "" in the namespace "x"\n' +
          'User "system:serviceaccount:a:b" cannot get path "/metrics"',
      ),
    ).toEqual([]);
  });
});

/** A DaemonSet "sync" running as ServiceAccount "sync", crash-looping with `log`. */
function crashing(log: string, rbac: Partial<Snapshot['rbac']>, extra: Partial<Snapshot> = {}) {
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'sync', namespace: 'team', uid: 'ds-1' },
    spec: { template: { spec: { serviceAccountName: 'sync' } } },
  };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'sync-abc',
      namespace: 'team',
      uid: 'p-1',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'sync', uid: 'ds-1', controller: true },
      ],
    },
    spec: { serviceAccountName: 'sync', containers: [{ name: 'main', image: 'sync:2' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'main',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    },
  };
  return {
    ...emptySnapshot('team'),
    takenAt: '2026-01-01T00:00:00Z',
    daemonSets: [ds],
    pods: [pod],
    logs: { 'sync-abc/main': `starting\n${log}\nfatal: giving up` },
    rbac: { roles: [], roleBindings: [], clusterRoles: [], ...rbac },
    ...extra,
  };
}

const binding = (roleKind: string, role: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: `${role}-binding`, namespace: 'team' },
  subjects: [{ kind: 'ServiceAccount', name: 'sync', namespace: 'team' }],
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
});
const role = (name: string, rules: unknown[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name, namespace: 'team' },
  rules,
});

describe('rbac analyzer', () => {
  it('names the account, the refused permission and the bound Role; asks a person, proposes nothing', () => {
    const s = crashing(REFUSED, {
      roles: [
        role('sync-reader', [
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
        ]),
      ],
      roleBindings: [binding('Role', 'sync-reader')],
    });
    const findings = analyzeSnapshot(s);
    // The generic crash-loop finding would only restate it.
    expect(findings.map((f) => f.code)).toEqual(['RBAC_PERMISSION_DENIED']);
    const f = findings[0]!;
    expect(f).toMatchObject({
      severity: 'critical',
      object: { kind: 'DaemonSet', name: 'sync' },
      remediations: [],
    });
    expect(f.evidence.join('\n')).toContain('cannot list resource \\"secrets\\"');
    expect(f.evidence.join('\n')).toMatch(/binds Role sync-reader: get, list on configmaps/);
    expect(f.humanAction).toMatch(/Add verb "list" on resource "secrets".* to Role sync-reader/);
    expect(f.humanAction).toMatch(/rule "get, list on configmaps.*" has the verb/);
    expect(f.humanAction).toMatch(/not cluster-admin/);
  });

  it('with no binding at all: says so and what to create', () => {
    const f = analyzeSnapshot(crashing(REFUSED, {}))[0]!;
    expect(f.code).toBe('RBAC_PERMISSION_DENIED');
    expect(f.evidence).toContain('no RoleBinding in team binds ServiceAccount sync');
    expect(f.humanAction).toMatch(/create role sync --verb=list --resource=secrets/);
  });

  it('when the Roles could not be read: still names the permission, never claims there is no Role', () => {
    const f = analyzeSnapshot(
      crashing(REFUSED, {}, { unreadable: [{ resource: 'roles', reason: 'forbidden' }] }),
    ).find((x) => x.code === 'RBAC_PERMISSION_DENIED')!;
    expect(f.evidence).toContain(
      'Roles/RoleBindings of the namespace could not be read (forbidden)',
    );
    expect(f.humanAction).toMatch(
      /Grant ServiceAccount team\/sync verb "list" on resource "secrets"/,
    );
  });

  it('a bound ClusterRole that grants it now: a warning that the refusal predates the rules', () => {
    const f = analyzeSnapshot(
      crashing(REFUSED, {
        roleBindings: [binding('ClusterRole', 'secret-reader')],
        clusterRoles: [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'secret-reader' },
            rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }],
          },
        ],
      }),
    )[0]!;
    expect(f).toMatchObject({ code: 'RBAC_PERMISSION_DENIED', severity: 'warning' });
    expect(f.explanation).toMatch(/predates the current rules/);
  });

  it('a refusal of another account quoted in the log is not this pod’s fault', () => {
    const other = REFUSED.replace('serviceaccount:team:sync', 'serviceaccount:team:other');
    expect(analyzeSnapshot(crashing(other, {})).map((f) => f.code)).toEqual([
      'CONTAINER_CRASHLOOP',
    ]);
  });
});
