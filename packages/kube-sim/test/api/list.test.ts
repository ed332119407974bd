import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/api/cluster.ts';
import type { ApiError } from '../../src/api/errors.ts';
import { bootstrapCluster } from '../../src/bootstrap.ts';
import { findResource } from '../../src/resources.ts';
import { Store } from '../../src/store/store.ts';

const user = { username: 'admin', groups: ['system:masters'] };
const configmaps = findResource('', 'v1', 'configmaps')!;

describe('paginated lists', () => {
  it('pages in namespace/name order and expires tokens older than the watch window', () => {
    const c = new Cluster(new Store({ historyLimit: 30 }));
    bootstrapCluster(c);
    for (const name of ['d', 'a', 'c', 'b', 'e'])
      c.create(
        configmaps,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } },
        { user },
      );
    const first = c.listPage(configmaps, 'default', { limit: 2 });
    expect(first.entries.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
    expect(first.remainingItemCount).toBe(3);
    const second = c.listPage(configmaps, 'default', { limit: 2, continue: first.continue! });
    expect(second.entries.map((e) => e.object.metadata.name)).toEqual(['c', 'd']);
    for (let i = 0; i < 40; i++)
      c.patch(configmaps, 'default', 'a', 'merge', { data: { n: String(i) } }, { user });
    try {
      c.listPage(configmaps, 'default', { limit: 2, continue: second.continue! });
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).code).toBe(410);
      expect((error as ApiError).reason).toBe('Expired');
    }
  });
});
