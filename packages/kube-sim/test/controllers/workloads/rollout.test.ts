import { describe, expect, it } from 'vitest';
import {
  fenceposts,
  newReplicaSetTarget,
  oldReplicaSetTargets,
  podTemplateHash,
  sameTemplate,
  scaledValue,
} from '../../../src/controllers/workloads/deployment/rollout.ts';

describe('rolling update arithmetic', () => {
  it('scales percentages: surge rounds up, unavailable rounds down', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, false)).toBe(2);
    expect(fenceposts(undefined, undefined, 4)).toEqual([1, 1]);
    expect(fenceposts(0, 0, 4)).toEqual([0, 1]);
  });

  it('grows the new ReplicaSet only within desired + maxSurge', () => {
    // 4 desired, surge 1: old has 4, new has 0 → new may get 1.
    expect(
      newReplicaSetTarget(4, 1, { replicas: 0, available: 0 }, [{ replicas: 4, available: 4 }]),
    ).toBe(1);
    // Already at the ceiling: no growth.
    expect(
      newReplicaSetTarget(4, 1, { replicas: 1, available: 0 }, [
        { replicas: 4, available: 4 },
        { replicas: 1, available: 0 },
      ]),
    ).toBe(1);
    // Never past desired.
    expect(
      newReplicaSetTarget(3, 5, { replicas: 2, available: 2 }, [{ replicas: 2, available: 2 }]),
    ).toBe(3);
  });

  it('shrinks old ReplicaSets only while desired - maxUnavailable stay available', () => {
    // desired 4, maxUnavailable 1, new RS 1 replica not yet available, old 4 available: 1 may go.
    expect(
      oldReplicaSetTargets(4, 1, { replicas: 1, available: 0 }, [{ replicas: 4, available: 4 }]),
    ).toEqual([3]);
    // maxUnavailable 0 and the new pod not available: nothing goes.
    expect(
      oldReplicaSetTargets(4, 0, { replicas: 1, available: 0 }, [{ replicas: 4, available: 4 }]),
    ).toEqual([4]);
    // Unhealthy old replicas go first, without touching the budget of healthy ones.
    expect(
      oldReplicaSetTargets(4, 0, { replicas: 4, available: 4 }, [{ replicas: 2, available: 0 }]),
    ).toEqual([0]);
  });

  it('hashes templates stably and ignores the pod-template-hash label', () => {
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:1' }] },
    };
    const hash = podTemplateHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(podTemplateHash(structuredClone(template))).toBe(hash);
    expect(
      podTemplateHash({ ...template, spec: { containers: [{ name: 'app', image: 'web:2' }] } }),
    ).not.toBe(hash);
    expect(podTemplateHash(template, 1)).not.toBe(hash);
    const stamped = {
      ...template,
      metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
    };
    expect(sameTemplate(stamped, template)).toBe(true);
  });
});
