import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.ts';
import { scenarioObjects } from '../../src/sim/scenario-apply.ts';
import { KUBELET_STOPPED_ANNOTATION } from '../../src/sim/scenario-nodes.ts';
import { SimErrorCode } from '../../src/sim/errors.ts';

const SCENARIO = `apiVersion: sim.opsloop.dev/v1alpha1
kind: Scenario
metadata: {name: demo}
spec:
  summary: demo
  request: fix it
  namespace: shop
  verify:
  - {apiVersion: apps/v1, kind: Deployment, name: web, jsonpath: '{.status.availableReplicas}', equals: 2}
  - {service: shop/web, port: 80, path: /healthz, status: 200}
  forbid:
  - {apiVersion: v1, kind: Service, name: web, deleted: true}
`;
const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;
const BEHAVIOR = `apiVersion: sim.opsloop.dev/v1alpha1
kind: ImageBehavior
metadata: {name: web}
spec: {image: "registry.example.com/web:2"}
`;

function errorOf(text: string): { code: string; message: string } {
  try {
    parseScenario(text, 'x.yaml');
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a parse error');
}

describe('parseScenario', () => {
  it('splits objects, image behaviours and the Scenario; defaults namespaces and nodes', () => {
    const s = parseScenario(
      [SCENARIO, BEHAVIOR, DEPLOYMENT('registry.example.com/web:2')].join('---\n'),
      'x.yaml',
    );
    expect(s.name).toBe('demo');
    expect(s.imageBehaviors.map((b) => b.spec.image)).toEqual(['registry.example.com/web:2']);
    expect(s.stages).toHaveLength(1);
    expect(s.stages[0]?.[0]?.metadata.namespace).toBe('shop');
    expect(s.spec.nodes).toMatchObject({ count: 3, cpu: '4', memory: '16Gi', pods: 110 });
    expect(s.spec.verify[0]).toMatchObject({ equals: '2' });
    expect(s.spec.verify[1]).toMatchObject({
      service: 'shop/web',
      port: 80,
      path: '/healthz',
      status: 200,
    });
  });

  it('turns a second definition of the same object into a later stage (revision history)', () => {
    const s = parseScenario(
      [SCENARIO, DEPLOYMENT('nginx:1.26'), DEPLOYMENT('nginx:1.27')].join('---\n'),
    );
    expect(s.stages.map((stage) => stage.length)).toEqual([1, 1]);
    const image = (stage: number) =>
      (s.stages[stage]?.[0]?.spec as { template: { spec: { containers: { image: string }[] } } })
        .template.spec.containers[0]?.image;
    expect(image(0)).toBe('nginx:1.26');
    expect(image(1)).toBe('nginx:1.27');
  });

  it('generates labelled, Ready nodes and the namespace when the file has none', () => {
    const s = parseScenario(
      SCENARIO.replace(
        'namespace: shop',
        'namespace: shop\n  nodes: {count: 2, cpu: "8", memory: 32Gi}',
      ),
    );
    const objects = scenarioObjects(s, '2026-01-01T00:00:00Z');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/shop',
      'Node/node-1',
      'Node/node-2',
    ]);
    const node = objects[1]!;
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'topology.kubernetes.io/zone': 'eu-central-1a',
    });
    const status = node.status as {
      allocatable: Record<string, string>;
      conditions: { type: string; status: string }[];
    };
    expect(status.allocatable).toMatchObject({ cpu: '8', memory: '32Gi', pods: '110' });
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('applies node overrides: labels, taints and a stopped kubelet', () => {
    const s = parseScenario(
      SCENARIO.replace(
        'namespace: shop',
        'namespace: shop\n  nodes:\n    overrides:\n      node-2: {ready: false, labels: {disk: nvme}, taints: [{key: gpu, value: "yes", effect: NoSchedule}]}',
      ),
    );
    const node = scenarioObjects(s).find((o) => o.metadata.name === 'node-2')!;
    expect(node.metadata.labels?.disk).toBe('nvme');
    expect(node.metadata.annotations?.[KUBELET_STOPPED_ANNOTATION]).toBe('stopped');
    expect(
      (node.spec as { taints: { key: string; effect: string }[] }).taints.map(
        (t) => `${t.key}:${t.effect}`,
      ),
    ).toEqual([
      'gpu:NoSchedule',
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    const ready = (
      node.status as { conditions: { type: string; status: string; reason: string }[] }
    ).conditions.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
  });

  it('does not generate nodes when the file declares some', () => {
    const s = parseScenario(
      [SCENARIO, 'apiVersion: v1\nkind: Node\nmetadata: {name: worker-a}\n'].join('---\n'),
    );
    expect(s.declaresNodes).toBe(true);
    expect(
      scenarioObjects(s)
        .filter((o) => o.kind === 'Node')
        .map((o) => o.metadata.name),
    ).toEqual(['worker-a']);
  });

  it('requires exactly one Scenario document', () => {
    expect(errorOf(DEPLOYMENT('nginx')).message).toBe(
      'x.yaml: expected exactly one "kind: Scenario" document, found 0',
    );
    expect(errorOf([SCENARIO, SCENARIO].join('---\n')).code).toBe(SimErrorCode.InvalidScenario);
  });

  it('names the document and the field path of a malformed check', () => {
    const bad = SCENARIO.replace('equals: 2}', 'equals: 2, exists: true}');
    expect(errorOf(bad).message).toBe(
      'x.yaml document 1: spec.verify[0]: give exactly one of exists, equals, notEquals, matches',
    );
    const badPath = SCENARIO.replace("'{.status.availableReplicas}'", "'{.status[}'");
    expect(errorOf(badPath).message).toContain(
      'spec.verify[0].jsonpath: not a valid kubectl jsonpath template',
    );
    const badService = SCENARIO.replace('service: shop/web', 'service: web');
    expect(errorOf(badService).message).toContain(
      'spec.verify[1].service: write the service as "namespace/name"',
    );
    expect(errorOf(SCENARIO.replace('  request: fix it\n', '')).message).toContain(
      'spec.request: Invalid input',
    );
  });

  it('rejects unknown kinds, missing names and namespaced cluster objects, naming the document', () => {
    expect(
      errorOf(
        [SCENARIO, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n'].join('---\n'),
      ).message,
    ).toBe(
      'x.yaml document 2: kind: kube-sim does not serve kind "Widget" in apiVersion "example.com/v1"',
    );
    expect(
      errorOf([SCENARIO, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n'].join('---\n')).message,
    ).toBe('x.yaml document 2: metadata.name: required');
    expect(
      errorOf(
        [SCENARIO, 'apiVersion: v1\nkind: Node\nmetadata: {name: n, namespace: shop}\n'].join(
          '---\n',
        ),
      ).message,
    ).toContain('Node is cluster-scoped');
    expect(
      errorOf(
        [SCENARIO, 'apiVersion: sim.opsloop.dev/v1alpha1\nkind: ImageBehavior\nspec: {}\n'].join(
          '---\n',
        ),
      ).message,
    ).toContain('x.yaml document 2: invalid ImageBehavior: spec.image');
    expect(errorOf(SCENARIO + '---\n: : :\n  - [').message).toMatch(
      /^x\.yaml document 2: YAML error/,
    );
    // One line, without the parser's code frame.
    expect(errorOf(SCENARIO + '---\nmetadata: {name: x\nspec: {}\n').message).toMatch(
      /^x\.yaml document 2: YAML error: [^\n]+ at line \d+, column \d+$/,
    );
  });
});
