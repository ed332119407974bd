import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.ts';
import type { KObject } from '../../src/api/types.ts';
import { serverSideApply } from '../../src/patch/apply.ts';
import { recordUpdate } from '../../src/patch/managed-fields.ts';

const config = (replicas: number, image: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } }, ...extra },
});

describe('server-side apply', () => {
  it('records the applied fields in managedFields (FieldsV1)', () => {
    const live = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    const entry = (live.metadata.managedFields as Record<string, unknown>[])[0]!;
    expect(entry).toMatchObject({
      manager: 'ops',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    expect(entry['fieldsV1']).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} } },
          },
        },
      },
    });
  });

  it('conflicts with another manager that owns a field with a different value', () => {
    const live = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    try {
      serverSideApply(live, config(5, 'web:1'), { manager: 'hpa', force: false });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(409);
      expect((error as ApiError).message).toBe(
        'Apply failed with 1 conflict: conflict with "ops": .spec.replicas',
      );
    }
  });

  it('lists several conflicts the way the API server does', () => {
    const live = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    expect(() =>
      serverSideApply(live, config(5, 'web:2'), { manager: 'other', force: false }),
    ).toThrow(
      'Apply failed with 2 conflicts: conflicts with "ops":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('names Update managers with their version and time', () => {
    const live = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    const edited = structuredClone(live);
    (edited['spec'] as Record<string, unknown>)['replicas'] = 4;
    recordUpdate(live, edited, 'kubectl-edit', undefined);
    expect(() =>
      serverSideApply(edited, config(2, 'web:1'), { manager: 'ops', force: false }),
    ).toThrow(
      /^Apply failed with 1 conflict: conflict with "kubectl-edit" using apps\/v1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \.spec\.replicas$/,
    );
  });

  it('takes ownership with force and shares fields applied with the same value', () => {
    const live = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    const forced = serverSideApply(live, config(5, 'web:1'), { manager: 'hpa', force: true });
    expect((forced['spec'] as { replicas: number }).replicas).toBe(5);
    const managers = forced.metadata.managedFields as {
      manager: string;
      fieldsV1: Record<string, Record<string, unknown>>;
    }[];
    expect(
      managers.find((m) => m.manager === 'ops')!.fieldsV1['f:spec']!['f:replicas'],
    ).toBeUndefined();
    expect(managers.find((m) => m.manager === 'hpa')!.fieldsV1['f:spec']!['f:replicas']).toEqual(
      {},
    );
  });

  it('removes fields the manager stopped applying, but not fields another manager owns', () => {
    const first = serverSideApply(
      undefined,
      config(2, 'web:1', { paused: true, minReadySeconds: 5 }),
      { manager: 'ops', force: false },
    );
    const updated = structuredClone(first);
    (updated['spec'] as Record<string, unknown>)['minReadySeconds'] = 7;
    recordUpdate(first, updated, 'kubectl-edit', undefined);
    const second = serverSideApply(updated, config(2, 'web:1'), { manager: 'ops', force: false });
    expect(second['spec']).not.toHaveProperty('paused');
    expect((second['spec'] as Record<string, unknown>)['minReadySeconds']).toBe(7);
  });

  it('keeps list items other managers added when merging by key', () => {
    const first = serverSideApply(undefined, config(2, 'web:1'), { manager: 'ops', force: false });
    const withSidecar = serverSideApply(
      first,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'proxy', image: 'envoy' }] } } },
      },
      { manager: 'mesh', force: false },
    );
    const again = serverSideApply(withSidecar, config(2, 'web:2'), {
      manager: 'ops',
      force: false,
    });
    const containers = (again['spec'] as Record<string, Record<string, Record<string, unknown>>>)[
      'template'
    ]!['spec']!['containers'] as { name: string; image: string }[];
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['web=web:2', 'proxy=envoy']);
  });
});
