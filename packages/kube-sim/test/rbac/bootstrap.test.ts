import { describe, expect, it } from 'vitest';
import {
  bootstrapRbacObjects,
  createAuthorizer,
  type RequestAttributes,
} from '../../src/rbac/mod.ts';
import { clusterRole, roleBinding, user } from './fixtures.ts';
import { MemoryApi } from './memory-api.ts';

describe('bootstrap policy and aggregation', () => {
  const api = new MemoryApi().add(
    ...bootstrapRbacObjects(),
    roleBinding('shop', 'v', { kind: 'ClusterRole', name: 'view' }, [
      { kind: 'User', name: 'viewer' },
    ]),
    roleBinding('shop', 'e', { kind: 'ClusterRole', name: 'edit' }, [
      { kind: 'User', name: 'editor' },
    ]),
    roleBinding('shop', 'a', { kind: 'ClusterRole', name: 'admin' }, [
      { kind: 'User', name: 'admin' },
    ]),
  );
  const inShop = (
    verb: string,
    apiGroup: string,
    resource: string,
    subresource?: string,
  ): RequestAttributes => ({
    verb,
    apiGroup,
    resource,
    namespace: 'shop',
    ...(subresource ? { subresource } : {}),
  });
  const matrix = (who: string) => {
    const authz = createAuthorizer(api);
    const u = user(who);
    return {
      listPods: authz.authorize(u, inShop('list', '', 'pods')).allowed,
      readLogs: authz.authorize(u, inShop('get', '', 'pods', 'log')).allowed,
      getSecrets: authz.authorize(u, inShop('get', '', 'secrets')).allowed,
      patchDeploy: authz.authorize(u, inShop('patch', 'apps', 'deployments')).allowed,
      scaleDeploy: authz.authorize(u, inShop('patch', 'apps', 'deployments', 'scale')).allowed,
      exec: authz.authorize(u, inShop('create', '', 'pods', 'exec')).allowed,
      writeRoles: authz.authorize(u, inShop('create', 'rbac.authorization.k8s.io', 'rolebindings'))
        .allowed,
      localSar: authz.authorize(
        u,
        inShop('create', 'authorization.k8s.io', 'localsubjectaccessreviews'),
      ).allowed,
      writeQuota: authz.authorize(u, inShop('update', '', 'resourcequotas')).allowed,
    };
  };

  it('view reads but never secrets; edit adds writes; admin adds RBAC in the namespace', () => {
    expect(matrix('viewer')).toEqual({
      listPods: true,
      readLogs: true,
      getSecrets: false,
      patchDeploy: false,
      scaleDeploy: false,
      exec: false,
      writeRoles: false,
      localSar: false,
      writeQuota: false,
    });
    expect(matrix('editor')).toEqual({
      listPods: true,
      readLogs: true,
      getSecrets: true,
      patchDeploy: true,
      scaleDeploy: true,
      exec: true,
      writeRoles: false,
      localSar: false,
      writeQuota: false,
    });
    expect(matrix('admin')).toEqual({
      listPods: true,
      readLogs: true,
      getSecrets: true,
      patchDeploy: true,
      scaleDeploy: true,
      exec: true,
      writeRoles: true,
      localSar: true,
      writeQuota: false,
    });
  });

  it('stores the aggregated rules in view/edit/admin like the aggregation controller', () => {
    const view = bootstrapRbacObjects().find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name === 'view',
    );
    const resources = ((view?.rules as { resources?: string[] }[]) ?? []).flatMap(
      (r) => r.resources ?? [],
    );
    expect(resources).toContain('deployments');
    expect(resources).not.toContain('secrets');
  });

  it('picks up a user ClusterRole labelled aggregate-to-view at evaluation time', () => {
    const authz = createAuthorizer(api);
    const widgets = {
      verb: 'list',
      apiGroup: 'example.com',
      resource: 'widgets',
      namespace: 'shop',
    };
    expect(authz.authorize(user('viewer'), widgets).allowed).toBe(false);
    api.add(
      clusterRole(
        'widget-view',
        [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['list'] }],
        {
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        },
      ),
    );
    // view aggregates it, edit aggregates view, admin aggregates edit.
    expect(authz.authorize(user('viewer'), widgets).allowed).toBe(true);
    expect(authz.authorize(user('admin'), widgets).allowed).toBe(true);
  });

  it('lets any authenticated user do discovery and self reviews, and nothing more', () => {
    const authz = createAuthorizer(api);
    const nobody = user('nobody');
    expect(authz.authorize(nobody, { verb: 'get', nonResourcePath: '/apis' }).allowed).toBe(true);
    expect(authz.authorize(nobody, { verb: 'get', nonResourcePath: '/version' }).allowed).toBe(
      true,
    );
    expect(
      authz.authorize(nobody, { verb: 'get', nonResourcePath: '/openapi/v3/apis/apps/v1' }).allowed,
    ).toBe(true);
    expect(
      authz.authorize(nobody, {
        verb: 'create',
        apiGroup: 'authorization.k8s.io',
        resource: 'selfsubjectaccessreviews',
      }).allowed,
    ).toBe(true);
    expect(
      authz.authorize(nobody, {
        verb: 'create',
        apiGroup: 'authorization.k8s.io',
        resource: 'subjectaccessreviews',
      }).allowed,
    ).toBe(false);
    expect(
      authz.authorize(nobody, {
        verb: 'impersonate',
        apiGroup: '',
        resource: 'users',
        name: 'root',
      }).allowed,
    ).toBe(false);
    expect(
      authz.authorize(nobody, { verb: 'list', apiGroup: '', resource: 'namespaces' }).allowed,
    ).toBe(false);
    // Without the authenticated group (a raw SubjectAccessReview for "bob"), not even discovery.
    expect(
      authz.authorize({ username: 'bob', groups: [] }, { verb: 'get', nonResourcePath: '/apis' })
        .allowed,
    ).toBe(false);
  });
});
