import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_TOOLS, connectCluster, renderForModel } from '../src/mod.ts';
import { jsonSchemaOf } from '../src/read/types.ts';
import { create, setStatus, startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

const NS = 'tools';
let env: SimEnv;
const run = (tool: string, args: Record<string, unknown>) =>
  READ_TOOLS[tool]!.run(READ_TOOLS[tool]!.schema.parse(args) as never, env.cluster);

beforeAll(async () => {
  env = await startSimEnv();
  const c = env.cluster;
  await create(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await create(c, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: NS },
    type: 'Opaque',
    data: {
      password: Buffer.from('hunter2-very-secret').toString('base64'),
      user: Buffer.from('app').toString('base64'),
    },
  });
  const labels = { app: 'api' };
  const d = await create(c, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: NS, annotations: { note: 'token=abcdefgh12345678' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'api:1',
              env: [
                { name: 'DB_PASSWORD', value: 'plaintext-oops' },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
            },
          ],
        },
      },
    },
  });
  const rs = await create(c, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'api-1',
      namespace: NS,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'api',
          uid: d.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'api:1' }] } },
    },
  });
  const pod = await create(c, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'api-1-x',
      namespace: NS,
      labels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'api-1',
          uid: rs.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: { containers: [{ name: 'app', image: 'api:1', ports: [{ containerPort: 8080 }] }] },
  });
  await setStatus(c, pod, {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: 3,
        image: 'api:1',
        imageID: '',
        started: true,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      },
    ],
  });
  await create(c, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: NS },
    spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
  });
  await create(c, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'api-1-x.1', namespace: NS },
    involvedObject: { kind: 'Pod', name: 'api-1-x', namespace: NS },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app',
    count: 4,
    lastTimestamp: new Date().toISOString(),
  });
  await create(c, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'q', namespace: NS },
    spec: { hard: { pods: '5' } },
  });
  await create(c, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'tool-node', labels: { pool: 'a' } },
    spec: {},
  });
  const lines = Array.from(
    { length: 300 },
    (_, i) => `line ${i} Authorization: Bearer sk_live_abcdefghijklmnop${i}`,
  );
  env.sim.setHooks({
    logs: () => lines,
    followLogs: () => () => {},
    proxy: async () => ({ status: 503, headers: {}, body: '' }),
  });
});
afterAll(async () => env?.stop());

describe('read tools', () => {
  it('never return a Secret value, only key names', async () => {
    const out = await run('get_object', { kind: 'Secret', namespace: NS, name: 'db' });
    expect(out.data).toMatchObject({ keys: ['password', 'user'] });
    const listed = await run('list_objects', { kind: 'Secret', namespace: NS });
    const text = JSON.stringify([out, listed]);
    expect(text).not.toContain(Buffer.from('hunter2-very-secret').toString('base64'));
    expect(text).not.toContain('hunter2');
  });

  it('redact env values and annotations in objects', async () => {
    const out = await run('get_object', { kind: 'Deployment', namespace: NS, name: 'api' });
    const text = JSON.stringify(out.data);
    expect(text).not.toContain('plaintext-oops');
    expect(text).not.toContain('abcdefgh12345678');
    expect(text).toContain('"LOG_LEVEL","value":"info"');
    expect(text).not.toContain('managedFields');
  });

  it('describe shows the owner chain, conditions and events', async () => {
    const out = await run('describe_object', { kind: 'Pod', namespace: NS, name: 'api-1-x' });
    expect(out.data).toMatchObject({
      ownerChain: ['ReplicaSet/api-1', 'Deployment/api'],
      events: [{ reason: 'BackOff', count: 4 }],
    });
  });

  it('pod logs are tail-bounded, redacted and say when they were cut', async () => {
    // A crash-looping container's log is read from its previous run, as kubectl logs --previous does.
    const out = await run('pod_logs', {
      namespace: NS,
      pod: 'api-1-x',
      previous: true,
      tailLines: 50,
    });
    const log = (out.data as { log: string }).log;
    expect(log.split('\n').length).toBeLessThanOrEqual(50);
    expect(log).not.toMatch(/sk_live_/);
    expect(log).toContain('[REDACTED');
    expect(out.truncated).toBe(true);
    expect(renderForModel(out)).toContain('truncated="true"');
  });

  it('events, namespace health (unhealthy first), service analysis, quota usage, node summary', async () => {
    expect((await run('events', { namespace: NS, warningsOnly: true })).data).toMatchObject([
      { reason: 'BackOff', object: 'Pod/api-1-x' },
    ]);
    expect((await run('namespace_health', { namespace: NS })).data).toMatchObject({
      pods: 1,
      workloads: [{ name: 'api', healthy: false, waiting: ['CrashLoopBackOff'] }],
    });
    expect((await run('service_analysis', { namespace: NS, service: 'api' })).data).toMatchObject({
      service: { selector: { app: 'api' } },
      pods: [{ name: 'api-1-x', ready: false }],
    });
    expect((await run('quota_usage', { namespace: NS })).data).toMatchObject({
      quotas: [{ name: 'q', hard: { pods: '5' } }],
    });
    expect((await run('node_summary', { name: 'tool-node' })).data).toMatchObject([
      { name: 'tool-node', labels: { pool: 'a' } },
    ]);
    const list = await run('list_objects', { kind: 'Pod', namespace: NS, limit: 1 });
    expect(list.truncated).toBe(false);
  });

  it('can_i asks the API server (SubjectAccessReview) for the caller and for another user', async () => {
    expect(
      (await run('can_i', { verb: 'delete', resource: 'pods', namespace: NS })).data,
    ).toMatchObject({ allowed: true });
    expect(
      (await run('can_i', { verb: 'delete', resource: 'pods', namespace: NS, user: 'nobody' }))
        .data,
    ).toMatchObject({ allowed: false });
  });

  it('schemas are strict and exported as JSON Schema', () => {
    for (const tool of Object.values(READ_TOOLS))
      expect((jsonSchemaOf(tool) as { type: string }).type).toBe('object');
    expect(
      READ_TOOLS.get_object!.schema.safeParse({ kind: 'Pod', name: 'x', server: 'https://evil' })
        .success,
    ).toBe(false);
    expect(
      READ_TOOLS.list_objects!.schema.safeParse({ kind: 'Pod', labelSelector: 'a=b;rm -rf /' })
        .success,
    ).toBe(false);
  });

  it('counts every request and every byte read through client-node', async () => {
    const cluster = await connectCluster({ kubeconfigText: env.sim.kubeconfig() });
    expect(cluster.stats()).toEqual({ requests: 0, bytesRead: 0 });
    await cluster.list('Pod', NS);
    await cluster.core.listNamespacedPod({ namespace: NS });
    const stats = cluster.stats();
    expect(stats.requests).toBe(2);
    expect(stats.bytesRead).toBeGreaterThan(500);
  });
});

describe('secret names without values', () => {
  it('secretNames asks for PartialObjectMetadata: no value crosses the wire', async () => {
    const cluster = await connectCluster({ kubeconfigText: env.sim.kubeconfig() });
    expect(await cluster.secretNames(NS)).toEqual(['db']);
    const metadataOnly = cluster.stats().bytesRead;
    cluster.resetStats();
    await cluster.secretKeys(NS);
    // The full list carries the data; the metadata list does not.
    expect(metadataOnly).toBeLessThan(cluster.stats().bytesRead);
    type Partial = { apiVersion: string; kind: string; metadata: { name: string } };
    const raw = await cluster.request<Partial & { items: (Partial & { data?: unknown })[] }>(
      'GET',
      `/api/v1/namespaces/${NS}/secrets`,
      { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
    );
    expect(raw).toMatchObject({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList' });
    expect(raw.items.map((i) => Object.keys(i).sort())).toEqual([
      ['apiVersion', 'kind', 'metadata'],
    ]);
    expect(raw.items[0]).toMatchObject({
      apiVersion: 'meta.k8s.io/v1',
      kind: 'PartialObjectMetadata',
      metadata: { name: 'db', namespace: NS },
    });
    // One object, as a get with as=PartialObjectMetadata.
    const one = await cluster.request<Partial & Record<string, unknown>>(
      'GET',
      `/api/v1/namespaces/${NS}/secrets/db`,
      { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    );
    expect(Object.keys(one).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(one).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'db' } });
  });
});
