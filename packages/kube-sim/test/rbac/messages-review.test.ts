import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { ApiError } from '../../src/api/errors.ts';
import {
  authenticatedUser,
  bootstrapRbacObjects,
  forbiddenDetails,
  forbiddenMessage,
  reviewAccess,
} from '../../src/rbac/mod.ts';
import { MemoryApi } from './memory-api.ts';

const bob = authenticatedUser('bob');

describe('forbiddenMessage', () => {
  it('names a namespaced list', () => {
    expect(
      forbiddenMessage(bob, { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'shop' }),
    ).toBe(
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
  });

  it('names the object and the subresource, qualifying the group', () => {
    const attrs = {
      verb: 'patch',
      apiGroup: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'shop',
      name: 'web',
    };
    expect(forbiddenMessage(bob, attrs)).toBe(
      'deployments.apps "web" is forbidden: User "bob" cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"',
    );
    expect(forbiddenDetails(attrs)).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('uses the cluster-scope and non-resource forms', () => {
    expect(forbiddenMessage(bob, { verb: 'list', apiGroup: '', resource: 'nodes' })).toBe(
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenMessage(bob, { verb: 'get', nonResourcePath: '/apis' })).toBe(
      'forbidden: User "bob" cannot get path "/apis"',
    );
  });

  it('appends the authorizer reason and escapes markup', () => {
    const u = authenticatedUser('<script>');
    expect(
      forbiddenMessage(
        u,
        { verb: 'get', apiGroup: '', resource: 'pods', namespace: 'a' },
        'RBAC: role.rbac.authorization.k8s.io "x" not found',
      ),
    ).toBe(
      'pods is forbidden: User "&lt;script&gt;" cannot get resource "pods" in API group "" in the namespace "a": RBAC: role.rbac.authorization.k8s.io "x" not found',
    );
  });
});

describe('reviewAccess', () => {
  const api = new MemoryApi().add(...bootstrapRbacObjects(), {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { namespace: 'shop', name: 'bob-edit' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'User', name: 'bob' }],
  });
  const review = (kind: string, spec: unknown): KObject => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind,
    metadata: {},
    spec,
  });

  it('answers a SubjectAccessReview for another user, with the RBAC reason', () => {
    const out = reviewAccess(
      api,
      review('SubjectAccessReview', {
        user: 'bob',
        groups: ['system:authenticated'],
        resourceAttributes: {
          namespace: 'shop',
          verb: 'update',
          group: 'apps',
          resource: 'deployments',
          name: 'web',
        },
      }),
      authenticatedUser('admin', ['system:masters']),
    );
    expect(out.kind).toBe('SubjectAccessReview');
    expect(out.status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "bob-edit/shop" of ClusterRole "edit" to User "bob"',
    });
    const denied = reviewAccess(
      api,
      review('SubjectAccessReview', {
        user: 'bob',
        resourceAttributes: { namespace: 'prod', verb: 'get', resource: 'pods' },
      }),
      bob,
    );
    expect(denied.status).toEqual({ allowed: false });
  });

  it('rejects a SubjectAccessReview with neither user nor groups, or with both attribute kinds', () => {
    expect(() =>
      reviewAccess(
        api,
        review('SubjectAccessReview', { resourceAttributes: { verb: 'get' } }),
        bob,
      ),
    ).toThrow(ApiError);
    try {
      reviewAccess(
        api,
        review('SelfSubjectAccessReview', {
          resourceAttributes: { verb: 'get' },
          nonResourceAttributes: { path: '/', verb: 'get' },
        }),
        bob,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).code).toBe(422);
      expect((error as ApiError).message).toContain(
        'exactly one of nonResourceAttributes or resourceAttributes',
      );
    }
  });

  it('answers a SelfSubjectAccessReview for the requester', () => {
    const ask = (namespace: string) =>
      reviewAccess(
        api,
        review('SelfSubjectAccessReview', {
          resourceAttributes: { namespace, verb: 'delete', resource: 'secrets' },
        }),
        bob,
      ).status as { allowed: boolean };
    expect(ask('shop').allowed).toBe(true);
    expect(ask('prod').allowed).toBe(false);
    const path = reviewAccess(
      api,
      review('SelfSubjectAccessReview', {
        nonResourceAttributes: { path: '/version', verb: 'get' },
      }),
      bob,
    );
    expect((path.status as { allowed: boolean }).allowed).toBe(true);
  });

  it('lists the requester rules for a namespace in a SelfSubjectRulesReview', () => {
    const status = (namespace: string) =>
      reviewAccess(api, review('SelfSubjectRulesReview', { namespace }), bob).status as {
        resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[] }[];
        nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[];
        incomplete: boolean;
      };
    const shop = status('shop');
    expect(shop.incomplete).toBe(false);
    expect(shop.resourceRules).toContainEqual(
      expect.objectContaining({
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      }),
    );
    expect(
      shop.resourceRules.some((r) => r.resources.includes('secrets') && r.verbs.includes('delete')),
    ).toBe(true);
    expect(shop.nonResourceRules.some((r) => r.nonResourceURLs.includes('/apis'))).toBe(true);
    expect(status('prod').resourceRules.some((r) => r.resources.includes('secrets'))).toBe(false);
  });
});
