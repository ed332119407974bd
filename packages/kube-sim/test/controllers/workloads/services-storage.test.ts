import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { R } from '../../../src/controllers/workloads/kinds.ts';
import {
  ADMIN,
  at,
  deployment,
  node,
  podTemplate,
  startHarness,
  waitFor,
  type Harness,
} from './harness.ts';

let h: Harness;
afterEach(() => h?.stop());

const pvc = (name: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});
const storageClass = (name: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'kube-sim.io/hostpath',
  ...extra,
});
const service = (name: string, spec: Record<string, unknown>): KObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});

describe('services and storage', { timeout: 20_000 }, () => {
  it('Endpoints and EndpointSlices follow pod readiness; selectorless Services are left alone', async () => {
    h = startHarness();
    h.apply(
      node('node-1'),
      deployment('web', 2),
      deployment('slow', 1, {
        selector: { matchLabels: { app: 'web', tier: 'slow' } },
        template: {
          ...podTemplate('web:never-ready'),
          metadata: { labels: { app: 'web', tier: 'slow' } },
        },
      }),
      service('web', {
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      }),
      service('external', { ports: [{ port: 5432 }] }),
    );
    const ep = await waitFor(() => {
      const e = h.get('Endpoints', 'web');
      const subset = (
        at(e, 'subsets') as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] | undefined
      )?.[0];
      return subset?.addresses?.length === 2 && subset.notReadyAddresses?.length === 1 && e;
    });
    expect((at(ep, 'subsets') as { ports: unknown }[])[0]!.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
    const slice = await waitFor(() => {
      const s = h
        .list('EndpointSlice')
        .find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'web');
      return (s?.endpoints as unknown[] | undefined)?.length === 3 && s;
    });
    const ready = (slice.endpoints as { conditions: { ready: boolean } }[]).filter(
      (e) => e.conditions.ready,
    );
    expect(ready).toHaveLength(2);
    expect(slice.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web' });
    expect(h.get('Endpoints', 'external')).toBeUndefined();
    // Deleting the Service removes its Endpoints.
    h.api.delete(R.services, 'default', 'web', { user: ADMIN });
    await waitFor(() => !h.get('Endpoints', 'web'));
  });

  it('binds a claim of an existing class and provisions pvc-<uid>', async () => {
    h = startHarness();
    h.apply(
      storageClass('fast', { allowVolumeExpansion: true }),
      pvc('data', { storageClassName: 'fast' }),
    );
    const bound = await waitFor(() => {
      const c = h.get('PersistentVolumeClaim', 'data');
      return at(c, 'status', 'phase') === 'Bound' && c;
    });
    const pvName = `pvc-${bound.metadata.uid}`;
    expect(at(bound, 'spec', 'volumeName')).toBe(pvName);
    expect(at(bound, 'status', 'capacity')).toEqual({ storage: '1Gi' });
    const pv = h.api.get(R.pvs, undefined, pvName)!;
    expect(at(pv, 'status', 'phase')).toBe('Bound');
    expect(at(pv, 'spec', 'claimRef')).toMatchObject({
      name: 'data',
      namespace: 'default',
      uid: bound.metadata.uid,
    });
    // Expansion: the class allows it, so the capacity follows the request.
    h.api.patch(
      R.pvcs,
      'default',
      'data',
      'merge',
      { spec: { resources: { requests: { storage: '2Gi' } } } },
      { user: ADMIN },
    );
    await waitFor(
      () => at(h.get('PersistentVolumeClaim', 'data'), 'status', 'capacity', 'storage') === '2Gi',
    );
    expect(at(h.api.get(R.pvs, undefined, pvName), 'spec', 'capacity', 'storage')).toBe('2Gi');
    // Deleting the claim deletes the volume (reclaimPolicy Delete).
    h.api.delete(R.pvcs, 'default', 'data', { user: ADMIN });
    await waitFor(() => !h.api.get(R.pvs, undefined, pvName));
  });

  it('keeps a claim of a missing class Pending with ProvisioningFailed', async () => {
    h = startHarness();
    h.apply(pvc('data', { storageClassName: 'fast-ssd' }));
    const event = await waitFor(() =>
      h.list('Event').find((e) => at(e, 'reason') === 'ProvisioningFailed'),
    );
    expect(at(event, 'message')).toBe('storageclass.storage.k8s.io "fast-ssd" not found');
    expect(at(event, 'type')).toBe('Warning');
    expect(at(h.get('PersistentVolumeClaim', 'data'), 'status', 'phase')).toBe('Pending');
    // Creating the class later unblocks it.
    h.apply(storageClass('fast-ssd'));
    await waitFor(() => at(h.get('PersistentVolumeClaim', 'data'), 'status', 'phase') === 'Bound');
  });

  it('names the default class on create and refuses to grow a claim whose class cannot expand', async () => {
    h = startHarness();
    h.apply(
      storageClass('standard', {
        metadata: {
          name: 'standard',
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
      }),
      pvc('data'),
    );
    expect(at(h.get('PersistentVolumeClaim', 'data'), 'spec', 'storageClassName')).toBe('standard');
    await waitFor(() => at(h.get('PersistentVolumeClaim', 'data'), 'status', 'phase') === 'Bound');
    expect(() =>
      h.api.patch(
        R.pvcs,
        'default',
        'data',
        'merge',
        { spec: { resources: { requests: { storage: '5Gi' } } } },
        { user: ADMIN },
      ),
    ).toThrow(
      'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
  });

  it('WaitForFirstConsumer binds only once a pod using the claim is scheduled', async () => {
    h = startHarness();
    h.apply(
      node('node-1'),
      storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' }),
      pvc('data', { storageClassName: 'local' }),
    );
    await waitFor(() => h.list('Event').some((e) => at(e, 'reason') === 'WaitForFirstConsumer'));
    expect(at(h.get('PersistentVolumeClaim', 'data'), 'status', 'phase')).toBe('Pending');
    h.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user', namespace: 'default' },
      spec: {
        containers: [{ name: 'app', image: 'x' }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
      },
    });
    const bound = await waitFor(() => {
      const c = h.get('PersistentVolumeClaim', 'data');
      return at(c, 'status', 'phase') === 'Bound' && c;
    });
    expect(bound.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe('node-1');
  });
});
