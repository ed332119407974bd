import { describe, expect, it } from 'vitest';
import { jsonPath } from '../../src/sim/jsonpath.ts';
import { SimErrorCode } from '../../src/sim/errors.ts';

const pod = {
  metadata: { name: 'web-1', labels: { 'app.kubernetes.io/name': 'web', tier: 'front' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox' },
    ],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ],
    containerStatuses: [{ name: 'nginx', restartCount: 4, ready: false }],
  },
};
const text = (template: string, value: unknown = pod) => jsonPath(template, value).text;

describe('jsonPath (kubectl flavour)', () => {
  it('reads fields and indexes', () => {
    expect(text('{.status.phase}')).toBe('Running');
    expect(text('{.spec.containers[0].image}')).toBe('nginx:1.27');
    expect(text('{.spec.containers[-1].name}')).toBe('sidecar');
    expect(text('{$.metadata.name}')).toBe('web-1');
  });

  it('joins wildcard results with a space, as kubectl prints them', () => {
    expect(text('{.spec.containers[*].name}')).toBe('nginx sidecar');
    expect(text('{.spec.containers[0:1].name}')).toBe('nginx');
    expect(text('{.metadata.labels.*}')).toBe('web front');
  });

  it('filters list items', () => {
    expect(text('{.status.conditions[?(@.type=="Ready")].status}')).toBe('False');
    expect(text("{.status.conditions[?(@.type!='Ready')].type}")).toBe('PodScheduled');
    expect(text('{.status.containerStatuses[?(@.restartCount>3)].name}')).toBe('nginx');
    expect(text('{.status.conditions[?(@.reason)].type}')).toBe('Ready');
  });

  it('handles escaped dots, quoted keys and recursive descent', () => {
    expect(text('{.metadata.labels.app\\.kubernetes\\.io/name}')).toBe('web');
    expect(text("{.metadata.labels['app.kubernetes.io/name']}")).toBe('web');
    expect(text('{..image}')).toBe('nginx:1.27 busybox');
  });

  it('prints non-strings as JSON and mixes in literal text', () => {
    expect(text('{.status.containerStatuses[0].restartCount}')).toBe('4');
    expect(text('{.status.containerStatuses[0].ready}')).toBe('false');
    expect(text('{.spec.containers[0].ports[0]}')).toBe('{"containerPort":80}');
    expect(text('name={.metadata.name} phase={.status.phase}')).toBe('name=web-1 phase=Running');
  });

  it('returns nothing for missing paths', () => {
    expect(jsonPath('{.status.podIP}', pod)).toEqual({ values: [], text: '' });
    expect(jsonPath('{.spec.containers[5].name}', pod).values).toEqual([]);
  });

  it('rejects malformed templates with a stable code', () => {
    for (const bad of ['{.a', '{.a[}', '{range .items[*]}{.x}{end}', '{.a[?(x)]}']) {
      expect(() => jsonPath(bad, pod), bad).toThrow(
        expect.objectContaining({ code: SimErrorCode.InvalidJsonPath }),
      );
    }
  });
});
