// Object timestamps come from the sim clock, so they agree with the durations the
// controllers measure (a cluster at --speed 1000 ages 1000× faster than the wall clock).
import { describe, expect, it } from 'vitest';
import { startKubeSim } from '../../src/mod.ts';
import { findResource } from '../../src/resources.ts';
import { Kubectl } from '../helpers/kubectl.ts';

const ADMIN = { user: { username: 'admin', groups: ['system:masters'] }, fieldManager: 'test' };

describe('sim clock timestamps', () => {
  it('stamps creationTimestamp, managedFields and AGE from the sim clock', async () => {
    const sim = await startKubeSim({ port: 0, speed: 1000, controllers: false });
    try {
      const configMaps = findResource('', 'v1', 'configmaps')!;
      const created = sim.api.create(
        configMaps,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'early', namespace: 'default' } },
        ADMIN,
      );
      // 200 ms of wall time = 200 s of sim time.
      await new Promise((r) => setTimeout(r, 200));
      const later = sim.api.create(
        configMaps,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'late', namespace: 'default' },
          data: { a: '1' },
        },
        ADMIN,
      );
      const t = (iso: unknown) => Date.parse(String(iso));
      const gap = t(later.metadata.creationTimestamp) - t(created.metadata.creationTimestamp);
      expect(gap).toBeGreaterThanOrEqual(150_000);
      expect(Math.abs(t(later.metadata.creationTimestamp) - sim.clock.now())).toBeLessThan(60_000);
      expect(t((later.metadata.managedFields?.[0] as { time?: string })?.time)).toBe(
        t(later.metadata.creationTimestamp),
      );
      const age = await new Kubectl(sim).ok(['get', 'configmap', 'early', '--no-headers']);
      // AGE is measured on the same clock: minutes, never "<invalid>".
      expect(age).toMatch(/^early\s+0\s+\d+m\d*s?\s*$/m);
    } finally {
      await sim.stop();
    }
  });
});
