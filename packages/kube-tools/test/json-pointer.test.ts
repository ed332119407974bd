import { describe, expect, it } from 'vitest';
import { opsHold, readablePath, setOps } from '../src/json-pointer.ts';

describe('patch computation', () => {
  const live = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'a:1' },
            { name: 'side', image: 's:1' },
          ],
        },
      },
    },
  };

  it('replaces an existing member', () => {
    expect(setOps(live, ['spec', 'template', 'spec', 'containers', 1, 'image'], 's:2')).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 's:2' },
    ]);
  });

  it('adds the first missing level with the rest nested', () => {
    expect(setOps(live, ['spec', 'template', 'metadata', 'annotations', 'a/b'], 'x')).toEqual([
      { op: 'add', path: '/spec/template/metadata', value: { annotations: { 'a/b': 'x' } } },
    ]);
    expect(
      setOps({ metadata: { annotations: {} } }, ['metadata', 'annotations', 'a/b'], 'x'),
    ).toEqual([{ op: 'add', path: '/metadata/annotations/a~1b', value: 'x' }]);
  });

  it('opsHold tells whether the live object already shows the change', () => {
    const ops = setOps(live, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'a:2');
    expect(opsHold(live, ops)).toBe(false);
    const after = structuredClone(live);
    after.spec.template.spec.containers[0]!.image = 'a:2';
    expect(
      opsHold(after, [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }, ...ops]),
    ).toBe(true);
  });

  it('shows paths by container name', () => {
    expect(readablePath(live, '/spec/template/spec/containers/1/image')).toBe(
      'spec.template.spec.containers[side].image',
    );
  });
});
