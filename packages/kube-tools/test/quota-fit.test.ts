import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';
import { quotaFitFix } from '../src/analyzers/quota-fit.ts';

const owner = (
  replicas: number,
  containers: unknown[],
  strategy = 'RollingUpdate',
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team', uid: 'd-1' },
  spec: { replicas, strategy: { type: strategy }, template: { spec: { containers } } },
});

const pod = (name: string, cpu: string, ownerUid?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team',
    uid: `p-${name}`,
    ...(ownerUid
      ? {
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid: ownerUid,
              controller: true,
            },
          ],
        }
      : {}),
  },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }] },
  status: { phase: 'Running' },
});

function snapshot(hard: string, used: string, pods: KubeObject[], workload: KubeObject): Snapshot {
  return {
    ...emptySnapshot('team'),
    deployments: [workload],
    pods,
    quotas: [
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'budget', namespace: 'team' },
        spec: { hard: { 'requests.cpu': hard } },
        status: { hard: { 'requests.cpu': hard }, used: { 'requests.cpu': used } },
      },
    ],
  };
}

const refused = (requested: string, used: string, hard: string) =>
  `pods "web-1" is forbidden: exceeded quota: budget, requested: requests.cpu=${requested}, used: requests.cpu=${used}, limited: requests.cpu=${hard}`;

describe('a request sized to what the quota leaves', () => {
  it('is bounded by the room free now, so the rollout gets past the refused replica', () => {
    const web = owner(3, [{ name: 'app', resources: { requests: { cpu: '1500m' } } }]);
    const s = snapshot(
      '4',
      '3500m',
      [pod('other', '500m'), pod('web-a', '1500m', 'd-1'), pod('web-b', '1500m', 'd-1')],
      web,
    );
    const [fix] = quotaFitFix(s, web, refused('1500m', '3500m', '4'));
    expect(fix?.action).toBe('SetContainerResources');
    // 500m free must hold the refused replica's pod and one more before an old pod goes.
    expect(fix?.args).toMatchObject({ container: 'app', requests: { cpu: '250m' } });
    expect(fix?.reasoning).toMatch(/500m is free now for the rollout's first 2 new pod/);
    expect(fix?.reasoning).toMatch(/quota is left as its owners set it/);
  });

  it('is bounded by the share of every replica when the old pods go first (Recreate)', () => {
    const web = owner(4, [{ name: 'app', resources: { requests: { cpu: '3' } } }], 'Recreate');
    const own = ['a', 'b', 'c'].map((n) => pod(`web-${n}`, '3', 'd-1'));
    const s = snapshot('10', '10', [pod('other', '1'), ...own], web);
    const [fix] = quotaFitFix(s, web, refused('3', '10', '10'));
    // (10 − 1 used by others) / 4 replicas = 2250m; nothing is free, but nothing needs to be.
    expect(fix?.args).toMatchObject({ requests: { cpu: '2250m' } });
    // Rolling: nothing free, so no size lets the first new pod in.
    const rolling = owner(4, [{ name: 'app', resources: { requests: { cpu: '3' } } }]);
    expect(
      quotaFitFix({ ...s, deployments: [rolling] }, rolling, refused('3', '10', '10')),
    ).toEqual([]);
  });

  it('proposes nothing when several containers share the request, or the quota counts pods', () => {
    const two = owner(3, [
      { name: 'app', resources: { requests: { cpu: '1' } } },
      { name: 'proxy', resources: { requests: { cpu: '500m' } } },
    ]);
    const s = snapshot('4', '3500m', [pod('other', '500m')], two);
    expect(quotaFitFix(s, two, refused('1500m', '3500m', '4'))).toEqual([]);
    const web = owner(3, [{ name: 'app', resources: { requests: { cpu: '1' } } }]);
    const pods =
      'pods "web-1" is forbidden: exceeded quota: budget, requested: pods=1, used: pods=10, limited: pods=10';
    expect(quotaFitFix(snapshot('4', '1', [], web), web, pods)).toEqual([]);
  });

  it('proposes nothing when the pod is already small enough and others hold the quota', () => {
    const web = owner(2, [{ name: 'app', resources: { requests: { cpu: '100m' } } }]);
    const s = snapshot('4', '4', [pod('other', '4')], web);
    expect(quotaFitFix(s, web, refused('100m', '4', '4'))).toEqual([]);
  });
});
