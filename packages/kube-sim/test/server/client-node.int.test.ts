// @kubernetes/client-node 1.4.0 against kube-sim: the calls Opsloop's tools make.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { until } from '../helpers/kubectl.ts';

// Real processes on a shared 2-core machine: allow for slow starts.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

const deployment = (name: string, ns: string): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: `${name}:1` }] },
    },
  },
});

/** The HTTP status of a failed client-node call and the Status body the server sent. */
async function failure(call: Promise<unknown>): Promise<{
  code: number;
  body: {
    message: string;
    reason: string;
    details?: { causes?: { field: string; message: string }[] };
  };
}> {
  try {
    await call;
  } catch (error) {
    const e = error as { code: number; body: unknown };
    return {
      code: e.code,
      body: typeof e.body === 'string' ? JSON.parse(e.body) : (e.body as never),
    };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startKubeSim({
    port: 0,
    watchHistory: 20,
    users: [{ token: 'viewer-token', username: 'viewer', groups: [] }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-client-'));
  sim.writeKubeconfig(join(dir, 'kubeconfig'));
  kc = new KubeConfig();
  kc.loadFromFile(join(dir, 'kubeconfig'));
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: 'cn' } } });
});
afterAll(async () => {
  await sim.stop();
});

describe('@kubernetes/client-node against kube-sim', () => {
  it('creates, gets and lists with selectors and pagination', async () => {
    for (const name of ['a', 'b', 'c'])
      await apps.createNamespacedDeployment({ namespace: 'cn', body: deployment(name, 'cn') });
    const got = await apps.readNamespacedDeployment({ name: 'b', namespace: 'cn' });
    expect(got.spec?.replicas).toBe(1);
    expect(got.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const page1 = await apps.listNamespacedDeployment({ namespace: 'cn', limit: 2 });
    expect(page1.items.map((d) => d.metadata?.name)).toEqual(['a', 'b']);
    expect(page1.metadata?.remainingItemCount).toBe(1);
    const page2 = await apps.listNamespacedDeployment({
      namespace: 'cn',
      limit: 2,
      _continue: page1.metadata!._continue!,
    });
    expect(page2.items.map((d) => d.metadata?.name)).toEqual(['c']);
    const selected = await apps.listDeploymentForAllNamespaces({ labelSelector: 'app in (a,c)' });
    expect(selected.items).toHaveLength(0); // labels are on the template, not on the deployments
    const byName = await apps.listNamespacedDeployment({
      namespace: 'cn',
      fieldSelector: 'metadata.name=c',
    });
    expect(byName.items.map((d) => d.metadata?.name)).toEqual(['c']);
  });

  it('patches with each content type through setHeaderOptions and the object API', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'cn',
      body: { metadata: { name: 'cfg' }, data: { a: '1' } },
    });
    expect(cm.data).toEqual({ a: '1' });
    await core.patchNamespacedConfigMap(
      { name: 'cfg', namespace: 'cn', body: { data: { b: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.patchNamespacedConfigMap(
      { name: 'cfg', namespace: 'cn', body: [{ op: 'add', path: '/data/c', value: '3' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    await core.patchNamespacedConfigMap(
      { name: 'cfg', namespace: 'cn', body: { metadata: { labels: { x: 'y' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const applied = await objects.patch<V1ConfigMap>(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cfg', namespace: 'cn' },
        data: { d: '4' },
      },
      undefined,
      undefined,
      'opsloop',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.data).toEqual({ a: '1', b: '2', c: '3', d: '4' });
    expect(applied.metadata?.labels).toEqual({ x: 'y' });
    expect(applied.metadata?.managedFields?.map((m) => `${m.manager}:${m.operation}`)).toContain(
      'opsloop:Apply',
    );
    const types = sim.audit
      .entries()
      .filter((e) => e.name === 'cfg' && e.verb === 'patch')
      .map((e) => e.patchType);
    expect(types).toEqual([
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
  });

  it('answers a stale update with 409 Conflict in the API server wording', async () => {
    const current = await apps.readNamespacedDeployment({ name: 'a', namespace: 'cn' });
    await apps.patchNamespacedDeploymentScale(
      { name: 'a', namespace: 'cn', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    current.spec!.replicas = 5;
    const { code, body } = await failure(
      apps.replaceNamespacedDeployment({ name: 'a', namespace: 'cn', body: current }),
    );
    expect(code).toBe(409);
    expect(body.reason).toBe('Conflict');
    expect(body.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    const again = await failure(
      apps.createNamespacedDeployment({ namespace: 'cn', body: deployment('a', 'cn') }),
    );
    expect(again.code).toBe(409);
    expect(again.body.message).toBe('deployments.apps "a" already exists');
  });

  it('answers invalid objects with 422 and field causes', async () => {
    const bad = deployment('Bad_Name', 'cn');
    bad.spec!.template.metadata!.labels = { app: 'other' };
    const { code, body } = await failure(
      apps.createNamespacedDeployment({ namespace: 'cn', body: bad }),
    );
    expect(code).toBe(422);
    expect(body.reason).toBe('Invalid');
    expect(body.details?.causes?.map((c) => c.field)).toEqual([
      'metadata.name',
      'spec.template.metadata.labels',
    ]);
    expect(body.message).toMatch(
      /^Deployment.apps "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
  });

  it('answers 403 when RBAC denies and 401 for an unknown token', async () => {
    const viewer = new KubeConfig();
    viewer.loadFromString(sim.kubeconfig('viewer'));
    const { code, body } = await failure(
      viewer.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'cn' }),
    );
    expect(code).toBe(403);
    expect(body.message).toBe(
      'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "cn"',
    );
    const stranger = new KubeConfig();
    stranger.loadFromString(sim.kubeconfig().replace(/token: \S+/, 'token: nope'));
    expect((await failure(stranger.makeApiClient(CoreV1Api).listNamespace())).code).toBe(401);
  });

  it('dry-run leaves no object, no watch event and an audit entry flagged dry-run', async () => {
    const events: string[] = [];
    const watch = new Watch(kc);
    const request = await watch.watch(
      '/api/v1/namespaces/cn/configmaps',
      {},
      (type, obj: V1ConfigMap) => events.push(`${type} ${obj.metadata?.name}`),
      () => {},
    );
    await until(() => events.includes('ADDED cfg'), 5000, 'the initial events');
    const created = await core.createNamespacedConfigMap({
      namespace: 'cn',
      body: { metadata: { name: 'ghost' } },
      dryRun: 'All',
    });
    expect(created.metadata?.uid).toBeDefined();
    await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'real' } } });
    await until(() => events.includes('ADDED real'), 5000, 'the real object to be seen');
    request.abort();
    expect(events.some((e) => e.includes('ghost'))).toBe(false);
    expect(
      (await failure(core.readNamespacedConfigMap({ name: 'ghost', namespace: 'cn' }))).code,
    ).toBe(404);
    expect(
      sim.audit
        .entries()
        .find((e) => e.namespace === 'cn' && e.resource === 'configmaps' && e.dryRun),
    ).toMatchObject({ verb: 'create', responseCode: 201 });
  });

  it('watches from a resourceVersion and gets 410 Expired when it is too old', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'cn' });
    const from = list.metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({
      namespace: 'cn',
      body: { metadata: { name: 'after' } },
    });
    const seen: string[] = [];
    const watch = new Watch(kc);
    const request = await watch.watch(
      '/api/v1/namespaces/cn/configmaps',
      { resourceVersion: from, allowWatchBookmarks: true },
      (type, obj: V1ConfigMap) => seen.push(`${type} ${obj.metadata?.name ?? ''}`),
      () => {},
    );
    await until(() => seen.includes('ADDED after'), 5000, 'the replayed event');
    request.abort();
    expect(seen).toEqual(['ADDED after']);
    for (let i = 0; i < 25; i++)
      await core.patchNamespacedConfigMap(
        { name: 'cfg', namespace: 'cn', body: { data: { n: String(i) } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    const errors: { code?: number; message?: string }[] = [];
    await new Promise<void>((resolve) => {
      void watch.watch(
        '/api/v1/namespaces/cn/configmaps',
        { resourceVersion: from },
        (type, obj: { code?: number; message?: string }) => {
          if (type === 'ERROR') errors.push(obj);
        },
        () => resolve(),
      );
    });
    expect(errors[0]?.code).toBe(410);
    expect(errors[0]?.message).toMatch(
      new RegExp(`^too old resource version: ${from} \\(\\d+\\)$`),
    );
  });

  it('an informer re-lists after its watch is dropped and the history is gone', async () => {
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    await core.createNamespacedConfigMap({
      namespace: 'inf',
      body: { metadata: { name: 'keep' } },
    });
    await core.createNamespacedConfigMap({
      namespace: 'inf',
      body: { metadata: { name: 'doomed' } },
    });
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/inf/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'inf' }),
    );
    const deleted: string[] = [];
    let connects = 0;
    informer.on('delete', (o) => deleted.push(o.metadata!.name!));
    informer.on('connect', () => connects++);
    await informer.start();
    await until(() => informer.list('inf').length === 2, 5000, 'the initial list');
    // While the informer is disconnected, more changes happen than the watch history keeps.
    sim.api.delete(
      sim.cluster.store &&
        (await import('../../src/resources.ts')).findResource('', 'v1', 'configmaps')!,
      'inf',
      'doomed',
      { user: { username: 'admin', groups: ['system:masters'] } },
    );
    expect(sim.dropWatches()).toBeGreaterThan(0);
    await core.createNamespacedConfigMap({
      namespace: 'inf',
      body: { metadata: { name: 'born' } },
    });
    for (let i = 0; i < 25; i++)
      await core.patchNamespacedConfigMap(
        { name: 'cfg', namespace: 'cn', body: { data: { m: String(i) } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await until(
      () =>
        informer
          .list('inf')
          .map((o) => o.metadata!.name)
          .sort()
          .join(',') === 'born,keep',
      10_000,
      'the informer to catch up',
    );
    expect(deleted).toEqual(['doomed']);
    expect(connects).toBeGreaterThanOrEqual(1);
    await informer.stop();
  });
});
