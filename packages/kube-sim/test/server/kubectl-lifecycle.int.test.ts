// Deletion semantics through kubectl: --cascade background/foreground/orphan, finalizers,
// namespace termination; watches (get -w); RBAC (auth can-i --as); logs.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import type { LogOptions, SimHooks } from '../../src/api/types.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

// Real processes on a shared 2-core machine: allow for slow starts.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let k: Kubectl;

beforeAll(async () => {
  // The API server alone: GC of hand-made owner chains and log checks without a kubelet.
  sim = await startKubeSim({
    port: 0,
    controllers: false,
    users: [{ token: 'bob-token', username: 'bob', groups: ['dev'] }],
  });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  k = new Kubectl(sim);
});

/** A Deployment owning a ReplicaSet owning a Pod, as the controllers would leave them. */
async function ownedChain(ns: string): Promise<void> {
  await k.ok(['create', 'namespace', ns]);
  await k.ok(['create', 'deployment', 'web', '--image=web:1', '-n', ns]);
  const uid = await k.ok(['get', 'deploy', 'web', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'web-1',
      namespace: ns,
      labels: { app: 'web' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1' }] },
      },
    },
  };
  await k.ok(['create', '-f', '-'], JSON.stringify(rs));
  const rsUid = await k.ok(['get', 'rs', 'web-1', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1-abcde',
      namespace: ns,
      labels: { app: 'web' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-1',
          uid: rsUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { containers: [{ name: 'web', image: 'web:1' }] },
  };
  await k.ok(['create', '-f', '-'], JSON.stringify(pod));
}

const names = async (ns: string): Promise<string> =>
  (await k.ok(['get', 'deploy,rs,pods', '-n', ns, '-o', 'name']))
    .trim()
    .split('\n')
    .filter(Boolean)
    .sort()
    .join(' ');

describe('deletion through kubectl', () => {
  it('--cascade=background deletes the dependents after the owner', async () => {
    await ownedChain('bg');
    expect(await k.ok(['delete', 'deploy', 'web', '-n', 'bg', '--cascade=background'])).toContain(
      'deleted',
    );
    await until(async () => (await names('bg')) === '', 5000, 'dependents to be collected');
  });

  it('--cascade=foreground removes the dependents before the owner', async () => {
    await ownedChain('fg');
    const seen: string[] = [];
    const stop = sim.api.onChange((event) => {
      if (event.object.metadata.namespace === 'fg' && event.type === 'DELETED')
        seen.push(event.object.kind);
    });
    await k.ok(['delete', 'deploy', 'web', '-n', 'fg', '--cascade=foreground']);
    stop();
    expect(await names('fg')).toBe('');
    expect(seen).toEqual(['Pod', 'ReplicaSet', 'Deployment']);
  });

  it('--cascade=orphan keeps the dependents and drops their ownerReferences', async () => {
    await ownedChain('orphan');
    await k.ok(['delete', 'deploy', 'web', '-n', 'orphan', '--cascade=orphan']);
    await new Promise((r) => setTimeout(r, 200));
    expect(await names('orphan')).toBe('pod/web-1-abcde replicaset.apps/web-1');
    expect(
      await k.ok([
        'get',
        'rs',
        'web-1',
        '-n',
        'orphan',
        '-o',
        'jsonpath={.metadata.ownerReferences}',
      ]),
    ).toBe('');
  });

  it('keeps an object with finalizers until they are removed, and terminates namespaces', async () => {
    await k.ok(['create', 'namespace', 'term']);
    await k.ok(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'held', namespace: 'term', finalizers: ['example.com/hold'] },
      }),
    );
    await k.ok(['create', 'configmap', 'plain', '-n', 'term']);
    await k.ok(['delete', 'namespace', 'term', '--wait=false']);
    expect(await k.ok(['get', 'ns', 'term', '-o', 'jsonpath={.status.phase}'])).toBe('Terminating');
    await until(
      async () =>
        (await k.ok(['get', 'cm', '-n', 'term', '-o', 'name'])).trim() === 'configmap/held',
      5000,
      'plain configmap to go',
    );
    expect(
      await k.ok([
        'get',
        'cm',
        'held',
        '-n',
        'term',
        '-o',
        'jsonpath={.metadata.deletionTimestamp}',
      ]),
    ).not.toBe('');
    const refused = await k.run(['create', 'configmap', 'late', '-n', 'term']);
    expect(refused.stderr).toContain(
      'unable to create new content in namespace term because it is being terminated',
    );
    await k.ok([
      'patch',
      'cm',
      'held',
      '-n',
      'term',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    await until(
      async () => (await k.run(['get', 'ns', 'term'])).code !== 0,
      5000,
      'namespace to go',
    );
  });
});

describe('watch, RBAC and logs through kubectl', () => {
  it('get -w prints changes as they happen', async () => {
    await k.ok(['create', 'namespace', 'watch-ns']);
    await k.ok(['create', 'deployment', 'web', '--image=web:1', '-n', 'watch-ns']);
    const watch = k.spawn(['get', 'deploy', '-n', 'watch-ns', '-w', '--output-watch-events']);
    await until(() => watch.output().includes('web'), 10_000, 'the initial listing');
    await k.ok(['create', 'deployment', 'api', '--image=api:1', '-n', 'watch-ns']);
    await k.ok(['scale', 'deploy', 'web', '--replicas=3', '-n', 'watch-ns']);
    await until(
      () => /ADDED\s+api/.test(watch.output()) && /MODIFIED\s+web\s+0\/3/.test(watch.output()),
      10_000,
      'watch events',
    );
    watch.child.kill();
  });

  it('auth can-i answers for the caller and for --as, and RBAC denies bob', async () => {
    expect((await k.run(['auth', 'can-i', 'delete', 'pods', '-n', 'default'])).stdout.trim()).toBe(
      'yes',
    );
    expect(
      (
        await k.run(['auth', 'can-i', 'list', 'pods', '-n', 'default', '--as', 'bob'])
      ).stdout.trim(),
    ).toBe('no');
    const bob = new Kubectl(sim, 'bob');
    const denied = await bob.run(['get', 'pods', '-n', 'default']);
    expect(denied.stderr).toContain(
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    await k.ok([
      'create',
      'rolebinding',
      'bob-view',
      '--clusterrole=view',
      '--user=bob',
      '-n',
      'default',
    ]);
    expect(
      (
        await k.run(['auth', 'can-i', 'list', 'pods', '-n', 'default', '--as', 'bob'])
      ).stdout.trim(),
    ).toBe('yes');
    expect((await bob.run(['get', 'pods', '-n', 'default'])).code).toBe(0);
    expect(
      sim.audit.entries().some((e) => e.user === 'admin' && e.resource === 'rolebindings'),
    ).toBe(true);
  });

  it('logs: refuses a container that has not started, then serves --tail, --previous and -f', async () => {
    await k.ok(['create', 'namespace', 'logs-ns']);
    await k.ok(['run', 'app', '--image=app:1', '-n', 'logs-ns']);
    const waiting = await k.run(['logs', 'app', '-n', 'logs-ns']);
    expect(waiting.stderr).toContain(
      'container "app" in pod "app" is waiting to start: ContainerCreating',
    );
    await k.ok([
      'patch',
      'pod',
      'app',
      '-n',
      'logs-ns',
      '--subresource=status',
      '--type',
      'merge',
      '-p',
      '{"status":{"phase":"Running","containerStatuses":[{"name":"app","ready":true,"restartCount":1,"image":"app:1","imageID":"","state":{"running":{"startedAt":"2024-01-01T00:00:00Z"}}}]}}',
    ]);
    // The simulation answers logs through SimHooks; this one keeps lines per instance.
    const asked: LogOptions[] = [];
    const followers: ((line: string) => void)[] = [];
    const hooks: SimHooks = {
      logs: (_ns, _pod, _container, options) => {
        asked.push(options);
        const lines = options.previous ? ['old 1', 'old 2'] : ['line 1', 'line 2', 'line 3'];
        return options.tailLines === undefined ? lines : lines.slice(-options.tailLines);
      },
      followLogs: (_ns, _pod, _c, _o, onLine) => {
        followers.push(onLine);
        return () => followers.splice(followers.indexOf(onLine), 1);
      },
      proxy: async () => ({ status: 200, headers: {}, body: 'ok' }),
    };
    sim.setHooks(hooks);
    expect(await k.ok(['logs', 'app', '-n', 'logs-ns', '--tail=2'])).toBe('line 2\nline 3\n');
    expect(asked.at(-1)).toMatchObject({ tailLines: 2 });
    expect(await k.ok(['logs', 'app', '-n', 'logs-ns', '--previous'])).toBe('old 1\nold 2\n');
    const follow = k.spawn(['logs', '-f', 'app', '-n', 'logs-ns']);
    await until(
      () => follow.output().includes('line 3') && followers.length === 1,
      10_000,
      'follow to start',
    );
    followers[0]!('live 4');
    await until(() => follow.output().includes('live 4'), 5000, 'a followed line');
    follow.child.kill();
    await until(() => followers.length === 0, 5000, 'the follower to stop');
  });
});
