import { describe, expect, it } from 'vitest';
import type { AdmissionPlugin } from '../../../src/api/types.ts';
import {
  conditionTaints,
  defaultTolerationSeconds,
  evictionDelayMs,
} from '../../../src/controllers/node/node-lifecycle.ts';
import type { NodeObject, PodObject } from '../../../src/controllers/node/pod-model.ts';
import { RESOURCES } from '../../../src/resources.ts';
import { statusFor } from '../../../src/controllers/node/exec/remote-command.ts';

const node = (
  ready: 'True' | 'False' | 'Unknown',
  extra: Partial<NodeObject> = {},
): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1' },
  status: {
    conditions: [
      { type: 'Ready', status: ready },
      { type: 'MemoryPressure', status: 'True' },
    ],
  },
  ...extra,
});

const pod = (tolerations: PodObject['spec']['tolerations']): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'a' }], tolerations },
});

describe('node lifecycle', () => {
  it('maps conditions and cordon to taints, keeping timeAdded', () => {
    const taints = conditionTaints(node('False', { spec: { unschedulable: true } }), 'T1');
    expect(taints).toEqual([
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'T1' },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]);
    const later = conditionTaints(node('False', { spec: { taints } }), 'T2');
    expect(later[1]).toEqual({
      key: 'node.kubernetes.io/not-ready',
      effect: 'NoExecute',
      timeAdded: 'T1',
    });
    expect(conditionTaints(node('Unknown'), 'T')[1]!.key).toBe('node.kubernetes.io/unreachable');
  });

  it('times NoExecute evictions by tolerationSeconds', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const taint = {
      key: 'node.kubernetes.io/not-ready',
      effect: 'NoExecute' as const,
      timeAdded: '2026-01-01T00:00:00Z',
    };
    expect(evictionDelayMs(pod([]), [taint], t0)).toBe(0);
    expect(
      evictionDelayMs(
        pod([{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]),
        [taint],
        t0 + 100_000,
      ),
    ).toBe(200_000);
    expect(evictionDelayMs(pod([{ operator: 'Exists' }]), [taint], t0)).toBeUndefined();
  });

  it('adds the default 300 s tolerations to new pods only when absent', () => {
    const resource = RESOURCES.find((r) => r.kind === 'Pod')!;
    const p = pod([
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 60,
      },
    ]);
    const admit: AdmissionPlugin = defaultTolerationSeconds;
    admit({
      operation: 'CREATE',
      resource,
      object: p,
      oldObject: undefined,
      user: { username: 'u', groups: [] },
      dryRun: false,
    });
    expect(p.spec.tolerations).toEqual([
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 60,
      },
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  });
});

describe('remote-command status', () => {
  it('reports a non-zero exit code as kubectl expects it', () => {
    expect(statusFor(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(statusFor(3, ['sh', '-c', 'exit 3'])).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
});
