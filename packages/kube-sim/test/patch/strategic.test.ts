import { describe, expect, it } from 'vitest';
import { applyStrategicPatch } from '../../src/patch/strategic.ts';
import { applyJsonPatch, applyMergePatch } from '../../src/patch/json-patch.ts';

const deployment = () => ({
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'api',
            image: 'api:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 80 }],
          },
          { name: 'sidecar', image: 'envoy:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
  metadata: { finalizers: ['x'], labels: { app: 'api' } },
});

type Spec = ReturnType<typeof deployment>;
const containersOf = (o: unknown) => (o as Spec).spec.template.spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name and keeps the others', () => {
    const out = applyStrategicPatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } },
    });
    const containers = containersOf(out);
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['api=api:2', 'sidecar=envoy:1']);
    expect(containers[0]!.env).toHaveLength(2);
  });
  it('merges env by name and ports by containerPort', () => {
    const out = applyStrategicPatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                env: [
                  { name: 'B', value: '3' },
                  { name: 'C', value: '4' },
                ],
                ports: [{ containerPort: 80, name: 'http' }],
              },
            ],
          },
        },
      },
    });
    const api = containersOf(out)[0]!;
    expect(api.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(api.ports).toEqual([{ containerPort: 80, name: 'http' }]);
  });
  it('replaces atomic lists (tolerations) and unions merged primitive lists (finalizers)', () => {
    const out = applyStrategicPatch(deployment(), {
      metadata: { finalizers: ['y'] },
      spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } },
    }) as Spec;
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(out.metadata.finalizers).toEqual(['x', 'y']);
  });
  it('deletes a list item with $patch: delete and a key with null', () => {
    const out = applyStrategicPatch(deployment(), {
      metadata: { labels: { app: null } },
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    }) as Spec;
    expect(containersOf(out).map((c) => c.name)).toEqual(['api']);
    expect(out.metadata.labels).toEqual({});
  });
  it('replaces a whole list or map with $patch: replace', () => {
    const out = applyStrategicPatch(deployment(), {
      spec: {
        template: { spec: { volumes: [{ name: 'cache', emptyDir: {} }, { $patch: 'replace' }] } },
      },
      metadata: { labels: { $patch: 'replace', team: 'x' } },
    }) as Spec;
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
    expect(out.metadata.labels).toEqual({ team: 'x' });
  });
  it('orders items by $setElementOrder like kubectl apply sends it', () => {
    const out = applyStrategicPatch(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'api' }],
            containers: [{ name: 'api', image: 'api:3' }],
          },
        },
      },
    });
    expect(containersOf(out).map((c) => `${c.name}=${c.image}`)).toEqual([
      'sidecar=envoy:1',
      'api=api:3',
    ]);
  });
  it('removes primitives with $deleteFromPrimitiveList and drops keys outside $retainKeys', () => {
    const out = applyStrategicPatch(
      {
        metadata: { finalizers: ['x', 'y'] },
        spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      },
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
        spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
      },
    );
    expect(out).toEqual({
      metadata: { finalizers: ['y'] },
      spec: { strategy: { type: 'Recreate' } },
    });
  });
  it('merges service ports by port', () => {
    const out = applyStrategicPatch(
      { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    );
    expect(out).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } });
  });
});

describe('JSON patch and merge patch', () => {
  it('applies add, replace, remove, move, copy and test', () => {
    const out = applyJsonPatch({ a: { b: [1, 2] }, c: 1 }, [
      { op: 'test', path: '/c', value: 1 },
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'replace', path: '/c', value: 2 },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e' },
      { op: 'remove', path: '/a/b/0' },
      { op: 'add', path: '/x~1y', value: true },
    ]);
    expect(out).toEqual({ a: { b: [2, 3] }, c: 2, e: 2, 'x/y': true });
  });
  it('fails a failed test op with 422 and leaves the input alone', () => {
    const input = { c: 1 };
    expect(() =>
      applyJsonPatch(input, [
        { op: 'replace', path: '/c', value: 5 },
        { op: 'test', path: '/c', value: 1 },
      ]),
    ).toThrow(/test failed/);
    expect(input).toEqual({ c: 1 });
  });
  it('test compares JSON values, not their text: object members may come in any order', () => {
    const doc = {
      spec: { type: 'ClusterIP', selector: { app: 'a' }, ports: [{ port: 80, name: 'http' }] },
    };
    const sorted = {
      ports: [{ name: 'http', port: 80 }],
      selector: { app: 'a' },
      type: 'ClusterIP',
    };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/spec', value: sorted }])).toEqual(doc);
    // Array order still matters, and so does every value.
    expect(() =>
      applyJsonPatch({ a: [1, 2] }, [{ op: 'test', path: '/a', value: [2, 1] }]),
    ).toThrow(/test failed/);
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/spec', value: { ...sorted, type: 'NodePort' } }]),
    ).toThrow(/test failed/);
  });
  it('merge patch replaces lists and deletes with null (RFC 7386)', () => {
    expect(applyMergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } })).toEqual({
      a: [3],
      b: { d: 2 },
    });
  });
});
