import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../src/mod.ts';
import type { KubeObject, Snapshot } from '../src/mod.ts';
import { pullSecretFix, registryHost } from '../src/analyzers/pull-secret-fix.ts';

const api: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'team', uid: 'd-api' },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:2' }] } } },
};

const running = (name: string, image: string, secrets: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team', uid: `p-${name}` },
  spec: {
    containers: [{ name: 'c', image }],
    imagePullSecrets: secrets.map((s) => ({ name: s })),
  },
  status: { phase: 'Running', containerStatuses: [{ name: 'c', image, state: { running: {} } }] },
});

const unreadable = (pods: KubeObject[]): Snapshot => ({
  ...emptySnapshot('team'),
  deployments: [api],
  pods,
  unreadable: [{ resource: 'secrets', reason: 'forbidden' }],
});

describe('a pull secret chosen from what the cluster shows', () => {
  it('registry hosts as the runtime resolves them', () => {
    expect(registryHost('ghcr.io/acme/api:2')).toBe('ghcr.io');
    expect(registryHost('localhost:5000/api')).toBe('localhost:5000');
    expect(registryHost('acme/api:2')).toBe('docker.io');
    expect(registryHost('nginx')).toBe('docker.io');
  });

  it('with Secrets unreadable: the one secret running pods use for the same registry', () => {
    const s = unreadable([
      running('worker', 'ghcr.io/acme/worker:5', ['ghcr-pull']),
      running('proxy', 'docker.io/library/nginx:1.27', ['hub-pull']),
    ]);
    const [fix] = pullSecretFix(s, api, 'ghcr.io/acme/api:2');
    expect(fix).toMatchObject({
      action: 'SetImagePullSecrets',
      args: { namespace: 'team', kind: 'Deployment', name: 'api', secrets: ['ghcr-pull'] },
    });
    expect(fix!.reasoning).toMatch(/Pod worker pulls from ghcr\.io with pull secret ghcr-pull/);
  });

  it('nothing when two secrets are in use for that registry, or none is seen', () => {
    const two = unreadable([
      running('a', 'ghcr.io/acme/a:1', ['ghcr-a']),
      running('b', 'ghcr.io/acme/b:1', ['ghcr-b']),
    ]);
    expect(pullSecretFix(two, api, 'ghcr.io/acme/api:2')).toEqual([]);
    expect(pullSecretFix(unreadable([]), api, 'ghcr.io/acme/api:2')).toEqual([]);
  });
});
