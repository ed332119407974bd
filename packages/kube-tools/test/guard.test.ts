import { describe, expect, it } from 'vitest';
import { failedGuard, guardOps } from '../src/actions/guard.ts';
import type { KubeObject } from '../src/mod.ts';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', generation: 7, resourceVersion: '41' },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'web:1' }] } } },
  status: { replicas: 2 },
};
const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '42' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
};

describe('drift guard (desired state, not resourceVersion)', () => {
  it('tests the generation of kinds the API server bumps it for, plus each changed path', () => {
    const ops = [
      { op: 'replace' as const, path: '/spec/replicas', value: 3 },
      { op: 'add' as const, path: '/spec/template/spec/containers/0/env', value: [] },
    ];
    expect(guardOps(deployment, ops)).toEqual([
      { op: 'test', path: '/metadata/generation', value: 7 },
      { op: 'test', path: '/spec/replicas', value: 2 },
    ]);
  });

  it('tests the whole spec of kinds without a generation bump; never the resourceVersion', () => {
    const guards = guardOps(service, [{ op: 'replace', path: '/spec/selector', value: {} }]);
    expect(guards).toEqual([
      { op: 'test', path: '/spec', value: service.spec },
      { op: 'test', path: '/spec/selector', value: { app: 'web' } },
    ]);
    expect(JSON.stringify(guards)).not.toMatch(/resourceVersion/);
  });

  it('a status or metadata change passes the guard; a spec change fails it and names the path', () => {
    const body = guardOps(deployment, [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    const churned = {
      ...deployment,
      metadata: { ...deployment.metadata, resourceVersion: '99', labels: { x: 'y' } },
      status: { replicas: 1 },
    };
    expect(failedGuard(churned, body)).toBeNull();
    const edited = { ...churned, metadata: { ...churned.metadata, generation: 8 } };
    expect(failedGuard(edited, body)).toBe('/metadata/generation');
    const svcBody = guardOps(service, [{ op: 'replace', path: '/spec/selector', value: {} }]);
    expect(failedGuard({ ...service, spec: { ...service.spec, type: 'NodePort' } }, svcBody)).toBe(
      '/spec',
    );
  });
});
