import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import {
  endpointSubsets,
  backendsOf,
  resolveTargetPort,
} from '../../../src/controllers/workloads/endpoints.ts';
import { applyDefaults, violations } from '../../../src/controllers/workloads/limitrange.ts';
import { formatAmount, parseAmount } from '../../../src/quantity.ts';
import { usageOf } from '../../../src/controllers/workloads/quota.ts';
import { R } from '../../../src/controllers/workloads/kinds.ts';

const pod = (name: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'app', image: 'web', ports: [{ name: 'http', containerPort: 8080 }] }],
  },
  ...extra,
});

describe('quantities', () => {
  it('parses and formats like resource.Quantity', () => {
    expect(parseAmount('250m')).toEqual({ milli: 250, binary: false });
    expect(parseAmount('1.5')).toEqual({ milli: 1500, binary: false });
    expect(formatAmount(1800, false)).toBe('1800m');
    expect(formatAmount(2000, false)).toBe('2');
    expect(formatAmount(parseAmount('512Mi')!.milli * 2, true)).toBe('1Gi');
    expect(formatAmount(parseAmount('640Mi')!.milli, true)).toBe('640Mi');
  });
});

describe('quota usage', () => {
  it('counts requests (defaulting to limits) and object counts of a pod', () => {
    const p = pod('a', {
      spec: {
        containers: [{ name: 'app', resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
      },
    });
    const usage = usageOf(R.pods, p);
    expect(usage['requests.cpu']).toBe(500);
    expect(usage['limits.memory']).toBe(128 * 2 ** 20 * 1000);
    expect(usage.pods).toBe(1000);
    expect(usage['count/pods']).toBe(1000);
  });
});

describe('LimitRange', () => {
  const items = [
    {
      type: 'Container',
      default: { cpu: '500m' },
      defaultRequest: { cpu: '100m' },
      max: { cpu: '1' },
      min: { cpu: '50m' },
    },
  ];

  it('injects defaults and says so in the annotation text', () => {
    const p = pod('a');
    const note = applyDefaults(p, items);
    expect(note).toBe(
      'LimitRanger plugin set: cpu request for container app; cpu limit for container app',
    );
    expect((p.spec as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual({
      requests: { cpu: '100m' },
      limits: { cpu: '500m' },
    });
  });

  it('words min/max violations like the API server', () => {
    const p = pod('a', {
      spec: {
        containers: [
          { name: 'app', resources: { requests: { cpu: '10m' }, limits: { cpu: '1500m' } } },
        ],
      },
    });
    expect(violations(p, items)).toEqual([
      'minimum cpu usage per Container is 50m, but request is 10m',
      'maximum cpu usage per Container is 1, but limit is 1500m',
    ]);
  });
});

describe('endpoints', () => {
  const ready = {
    phase: 'Running',
    podIP: '10.244.0.5',
    conditions: [{ type: 'Ready', status: 'True' }],
  };
  const notReady = {
    phase: 'Running',
    podIP: '10.244.0.6',
    conditions: [{ type: 'Ready', status: 'False' }],
  };
  const svc: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };

  it('resolves named target ports per pod and splits ready from not ready', () => {
    expect(resolveTargetPort({ port: 80, targetPort: 'http' }, pod('a'))).toBe(8080);
    expect(resolveTargetPort({ port: 80, targetPort: 'metrics' }, pod('a'))).toBeUndefined();
    const subsets = endpointSubsets(
      backendsOf(svc, [
        pod('a', { status: ready }),
        pod('b', { status: notReady }),
        pod('c', { status: { phase: 'Pending' } }),
      ]),
    );
    expect(subsets).toHaveLength(1);
    expect(subsets[0]).toMatchObject({
      addresses: [{ ip: '10.244.0.5', targetRef: { kind: 'Pod', name: 'a' } }],
      notReadyAddresses: [{ ip: '10.244.0.6' }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  });
});
