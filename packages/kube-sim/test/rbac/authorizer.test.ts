import { describe, expect, it } from 'vitest';
import { authenticatedUser, bootstrapRbacObjects, createAuthorizer } from '../../src/rbac/mod.ts';
import { findKind } from '../../src/resources.ts';
import { bob, can, clusterRole, clusterRoleBinding, role, roleBinding, user } from './fixtures.ts';
import { MemoryApi } from './memory-api.ts';

describe('namespace vs cluster scope', () => {
  const api = new MemoryApi().add(
    ...bootstrapRbacObjects(),
    role('shop', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
    roleBinding('shop', 'bob-reads', { kind: 'Role', name: 'pod-reader' }, [
      { kind: 'User', name: 'bob' },
    ]),
  );

  it('a Role grants only in its namespace', () => {
    expect(can(api, bob, { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'shop' })).toBe(
      true,
    );
    expect(
      can(api, bob, { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'other' }),
    ).toBe(false);
    expect(can(api, bob, { verb: 'list', apiGroup: '', resource: 'pods' })).toBe(false);
    expect(
      can(api, bob, {
        verb: 'delete',
        apiGroup: '',
        resource: 'pods',
        namespace: 'shop',
        name: 'x',
      }),
    ).toBe(false);
  });

  it('a RoleBinding to a ClusterRole grants it in the binding namespace only', () => {
    api.add(
      roleBinding('shop', 'bob-views', { kind: 'ClusterRole', name: 'view' }, [
        { kind: 'User', name: 'bob' },
      ]),
    );
    const authz = createAuthorizer(api);
    expect(
      authz.authorize(bob, {
        verb: 'get',
        apiGroup: 'apps',
        resource: 'deployments',
        namespace: 'shop',
        name: 'web',
      }),
    ).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "bob-views/shop" of ClusterRole "view" to User "bob"',
    });
    expect(
      authz.authorize(bob, {
        verb: 'get',
        apiGroup: 'apps',
        resource: 'deployments',
        namespace: 'kube-system',
      }).allowed,
    ).toBe(false);
  });

  it('a ClusterRoleBinding grants everywhere, including cluster-scoped resources', () => {
    const local = new MemoryApi().add(
      clusterRole('node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]),
      clusterRoleBinding('ops-nodes', 'node-reader', [{ kind: 'Group', name: 'ops' }]),
    );
    const ops = authenticatedUser('carol', ['ops']);
    expect(can(local, ops, { verb: 'list', apiGroup: '', resource: 'nodes' })).toBe(true);
    expect(can(local, bob, { verb: 'list', apiGroup: '', resource: 'nodes' })).toBe(false);
  });
});

describe('rule matching', () => {
  it('honours resourceNames: named requests only', () => {
    const api = new MemoryApi().add(
      role('shop', 'one-cm', [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['app-config'],
          verbs: ['get', 'update', 'list'],
        },
      ]),
      roleBinding('shop', 'b', { kind: 'Role', name: 'one-cm' }, [{ kind: 'User', name: 'bob' }]),
    );
    expect(
      can(api, bob, {
        verb: 'get',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        name: 'app-config',
      }),
    ).toBe(true);
    expect(
      can(api, bob, {
        verb: 'get',
        apiGroup: '',
        resource: 'configmaps',
        namespace: 'shop',
        name: 'other',
      }),
    ).toBe(false);
    // A list has no name, so a rule restricted by resourceNames never allows it.
    expect(
      can(api, bob, { verb: 'list', apiGroup: '', resource: 'configmaps', namespace: 'shop' }),
    ).toBe(false);
  });

  it('treats subresources as separate resources, with */sub wildcards', () => {
    const api = new MemoryApi().add(
      role('shop', 'scaler', [
        { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
        { apiGroups: [''], resources: ['*/status'], verbs: ['get'] },
      ]),
      roleBinding('shop', 'b', { kind: 'Role', name: 'scaler' }, [{ kind: 'User', name: 'bob' }]),
    );
    const at = { namespace: 'shop', name: 'web' };
    expect(
      can(api, bob, {
        verb: 'patch',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        ...at,
      }),
    ).toBe(true);
    expect(can(api, bob, { verb: 'patch', apiGroup: 'apps', resource: 'deployments', ...at })).toBe(
      false,
    );
    expect(
      can(api, bob, { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'status', ...at }),
    ).toBe(true);
    expect(can(api, bob, { verb: 'get', apiGroup: '', resource: 'pods', ...at })).toBe(false);
  });

  it('matches * for verbs, groups and resources, and prefix* for non-resource URLs', () => {
    const api = new MemoryApi().add(
      clusterRole('anything-apps', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]),
      clusterRole('metrics', [{ nonResourceURLs: ['/metrics/*'], verbs: ['get'] }]),
      clusterRoleBinding('b1', 'anything-apps', [{ kind: 'User', name: 'bob' }]),
      clusterRoleBinding('b2', 'metrics', [{ kind: 'User', name: 'bob' }]),
    );
    expect(
      can(api, bob, {
        verb: 'deletecollection',
        apiGroup: 'apps',
        resource: 'replicasets',
        namespace: 'a',
      }),
    ).toBe(true);
    expect(
      can(api, bob, {
        verb: 'patch',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        namespace: 'a',
      }),
    ).toBe(true);
    expect(
      can(api, bob, { verb: 'get', apiGroup: 'batch', resource: 'jobs', namespace: 'a' }),
    ).toBe(false);
    expect(can(api, bob, { verb: 'get', nonResourcePath: '/metrics/cadvisor' })).toBe(true);
    expect(can(api, bob, { verb: 'post', nonResourcePath: '/metrics/cadvisor' })).toBe(false);
    expect(can(api, bob, { verb: 'get', nonResourcePath: '/metricsx' })).toBe(false);
  });
});

describe('subjects', () => {
  const api = new MemoryApi().add(
    role('shop', 'cm', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
    // No namespace on the subject: it defaults to the binding's namespace.
    roleBinding('shop', 'sa', { kind: 'Role', name: 'cm' }, [
      { kind: 'ServiceAccount', name: 'builder' },
    ]),
    roleBinding('shop', 'all-sas', { kind: 'Role', name: 'cm' }, [
      { kind: 'Group', name: 'system:serviceaccounts:ci' },
    ]),
  );
  const attrs = { verb: 'get', apiGroup: '', resource: 'configmaps', namespace: 'shop', name: 'x' };

  it('matches a ServiceAccount by its system:serviceaccount username', () => {
    expect(can(api, user('system:serviceaccount:shop:builder'), attrs)).toBe(true);
    expect(can(api, user('system:serviceaccount:other:builder'), attrs)).toBe(false);
    expect(can(api, user('builder'), attrs)).toBe(false);
  });

  it('matches the per-namespace service account group', () => {
    expect(can(api, user('system:serviceaccount:ci:runner'), attrs)).toBe(true);
    expect(authenticatedUser('system:serviceaccount:ci:runner').groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:ci',
      'system:authenticated',
    ]);
  });

  it('lets system:masters do anything, even with no bindings at all', () => {
    const empty = new MemoryApi();
    const admin = authenticatedUser('root', ['system:masters']);
    expect(can(empty, admin, { verb: 'delete', apiGroup: '', resource: 'nodes', name: 'n1' })).toBe(
      true,
    );
    expect(can(empty, admin, { verb: 'get', nonResourcePath: '/anything' })).toBe(true);
  });
});

describe('caching', () => {
  it('reloads RBAC objects only after an RBAC change', () => {
    const api = new MemoryApi().add(
      clusterRole('r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
    );
    const authz = createAuthorizer(api);
    const attrs = { verb: 'get', apiGroup: '', resource: 'pods', namespace: 'a', name: 'p' };
    expect(authz.authorize(bob, attrs).allowed).toBe(false);
    const calls = api.listCalls;
    for (let i = 0; i < 10; i++) authz.authorize(bob, attrs);
    expect(api.listCalls).toBe(calls);
    api.add(clusterRoleBinding('rb', 'r', [{ kind: 'User', name: 'bob' }]));
    expect(authz.authorize(bob, attrs).allowed).toBe(true);
    api.delete(findKind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')!, undefined, 'rb');
    expect(authz.authorize(bob, attrs).allowed).toBe(false);
  });

  it('reports a binding to a missing role as the RBAC reason', () => {
    const api = new MemoryApi().add(
      roleBinding('shop', 'dangling', { kind: 'ClusterRole', name: 'gone' }, [
        { kind: 'User', name: 'bob' },
      ]),
    );
    expect(
      createAuthorizer(api).authorize(bob, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        namespace: 'shop',
      }),
    ).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });
});
