import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../src/resources.ts';
import {
  openapiV2,
  openapiV2Protobuf,
  openapiV3,
  openapiV3Index,
  unknownFields,
  v3PathOf,
} from '../../src/openapi/mod.ts';

type Json = Record<string, unknown>;
const schemasOf = (path: string) =>
  ((openapiV3(path) as Json).components as { schemas: Record<string, Json> }).schemas;
const props = (schema: Json | undefined) => (schema?.properties ?? {}) as Record<string, Json>;

/** Every $ref in a document must name a schema the document contains. */
function danglingRefs(
  node: unknown,
  prefix: string,
  names: Set<string>,
  out: string[] = [],
): string[] {
  if (Array.isArray(node)) for (const item of node) danglingRefs(item, prefix, names, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !names.has(value.slice(prefix.length)))
        out.push(value);
      else danglingRefs(value, prefix, names, out);
    }
  }
  return out;
}

describe('OpenAPI v3', () => {
  const index = openapiV3Index() as { paths: Record<string, { serverRelativeURL: string }> };

  it('lists every served group-version with a content-hashed URL', () => {
    const expected = [...new Set(RESOURCES.map((r) => v3PathOf(r)))].sort();
    expect(Object.keys(index.paths).sort()).toEqual(expected);
    expect(index.paths['apis/apps/v1']?.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/,
    );
    expect(openapiV3('/openapi/v3/apis/apps/v1?hash=whatever')).toBe(openapiV3('apis/apps/v1'));
    expect(openapiV3('apis/nope/v1')).toBeUndefined();
  });

  it('is well formed: 3.0, every ref resolves, every served kind carries its GVK and a PATCH taking fieldValidation', () => {
    for (const path of Object.keys(index.paths)) {
      const doc = openapiV3(path) as { openapi: string; paths: Record<string, Json> };
      expect(doc.openapi).toBe('3.0.0');
      const schemas = schemasOf(path);
      expect(
        danglingRefs(doc, '#/components/schemas/', new Set(Object.keys(schemas))),
        path,
      ).toEqual([]);
      for (const resource of RESOURCES.filter((r) => v3PathOf(r) === path)) {
        const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
        const kinds = Object.values(schemas).filter((s) =>
          ((s['x-kubernetes-group-version-kind'] ?? []) as Json[]).some(
            (g) => JSON.stringify(g) === JSON.stringify(gvk),
          ),
        );
        expect(kinds, `${resource.kind} ${path}`).toHaveLength(1);
        if (!(resource.verbs ?? ['patch']).includes('patch')) continue;
        const patch = Object.values(doc.paths)
          .map((item) => item.patch as Json | undefined)
          .find(
            (op) => JSON.stringify(op?.['x-kubernetes-group-version-kind']) === JSON.stringify(gvk),
          );
        expect(patch, `${resource.kind} PATCH`).toBeDefined();
        expect(
          (patch?.parameters as Json[]).some(
            (p) => p.name === 'fieldValidation' && p.in === 'query',
          ),
        ).toBe(true);
      }
    }
  });

  it('describes deployment.spec and pod containers deeply enough for kubectl explain', () => {
    const apps = schemasOf('apis/apps/v1');
    const spec = apps['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(Object.keys(props(spec))).toEqual(
      expect.arrayContaining(['replicas', 'selector', 'strategy', 'template']),
    );
    expect(props(spec).template?.allOf).toEqual([
      { $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' },
    ]);
    const container = apps['io.k8s.api.core.v1.Container'];
    expect(props(container).image?.type).toBe('string');
    expect(
      props(props(container).resources && apps['io.k8s.api.core.v1.ResourceRequirements']).limits
        ?.type,
    ).toBe('object');
  });

  it('carries strategic merge keys on the merging lists', () => {
    const core = schemasOf('api/v1');
    const podSpec = props(core['io.k8s.api.core.v1.PodSpec']);
    const container = props(core['io.k8s.api.core.v1.Container']);
    const expectations: [Json | undefined, string, string][] = [
      [podSpec.containers, 'name', 'merge'],
      [podSpec.initContainers, 'name', 'merge'],
      [podSpec.volumes, 'name', 'merge,retainKeys'],
      [container.env, 'name', 'merge'],
      [container.ports, 'containerPort', 'merge'],
      [container.volumeMounts, 'mountPath', 'merge'],
      [props(core['io.k8s.api.core.v1.ServiceSpec']).ports, 'port', 'merge'],
    ];
    for (const [field, key, strategy] of expectations) {
      expect(field?.['x-kubernetes-patch-merge-key']).toBe(key);
      expect(field?.['x-kubernetes-patch-strategy']).toBe(strategy);
      expect(field?.type).toBe('array');
    }
  });
});

describe('OpenAPI v2', () => {
  it('is swagger 2.0 whose refs all resolve and whose kinds carry their GVK', () => {
    const doc = openapiV2() as { swagger: string; definitions: Record<string, Json> };
    expect(doc.swagger).toBe('2.0');
    expect(danglingRefs(doc, '#/definitions/', new Set(Object.keys(doc.definitions)))).toEqual([]);
    const gvks = Object.values(doc.definitions).flatMap(
      (d) => (d['x-kubernetes-group-version-kind'] ?? []) as Json[],
    );
    for (const r of RESOURCES)
      expect(gvks).toContainEqual({ group: r.group, version: r.version, kind: r.kind });
    const container = doc.definitions['io.k8s.api.core.v1.Container'];
    expect(props(container).env?.['x-kubernetes-patch-merge-key']).toBe('name');
    expect(props(container).resources?.$ref).toBe(
      '#/definitions/io.k8s.api.core.v1.ResourceRequirements',
    );
  });

  it('encodes as gnostic protobuf: Document.swagger first, definitions by name', () => {
    const bytes = Buffer.from(openapiV2Protobuf());
    // field 1 (swagger), wire type 2, length 3, "2.0"
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30]);
    expect(bytes.includes(Buffer.from('io.k8s.api.apps.v1.DeploymentSpec'))).toBe(true);
    expect(bytes.includes(Buffer.from('x-kubernetes-patch-merge-key'))).toBe(true);
  });
});

describe('unknownFields', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { any: 'thing' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
              resources: { limits: { cpu: 1, memory: '128Mi' } },
              securityContext: { runAsNonRoot: true, anythingGoesHere: 1 },
              livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
    status: { whatever: true },
  };

  it('accepts a valid manifest, including fields under open objects', () => {
    expect(unknownFields(deployment)).toEqual([]);
  });

  it('reports misspelled fields with their path', () => {
    const bad = structuredClone(deployment) as typeof deployment & {
      spec: Record<string, unknown>;
    };
    bad.spec.replicaz = 3;
    (bad.spec.template.spec.containers[0] as Record<string, unknown>).imagePullPolicyy = 'Always';
    (bad.metadata as Record<string, unknown>).lables = {};
    // In document order, as the API server reports them.
    expect(unknownFields(bad)).toEqual([
      'metadata.lables',
      'spec.template.spec.containers[0].imagePullPolicyy',
      'spec.replicaz',
    ]);
  });

  it('checks only the top of kinds it does not model', () => {
    expect(
      unknownFields({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [] }),
    ).toEqual([]);
    expect(
      unknownFields({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: {}, anything: 1 }),
    ).toEqual([]);
  });
});
