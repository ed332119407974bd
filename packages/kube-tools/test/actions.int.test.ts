import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIONS,
  DriftError,
  OPERATION_ANNOTATION,
  PreconditionError,
  ProtectedNamespaceError,
  applyStep,
  connectCluster,
  inverseOf,
  isApplied,
  planStep,
} from '../src/mod.ts';
import type { KubeObject, PlannedStep } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { setStatus, startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

let env: SimEnv;
beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
});
afterAll(async () => env?.stop());

const get = (kind: string, name: string, ns: string | null = NS) =>
  env.cluster.get(kind, ns, name) as Promise<KubeObject>;
const container = (d: KubeObject) => d.spec.template.spec.containers[0];

/** Successful, non-dry-run writes recorded by the API server since `mark`. */
function writesSince(mark: number) {
  return env.sim.audit
    .entries()
    .slice(mark)
    .filter(
      (e) =>
        ['create', 'update', 'patch', 'delete'].includes(e.verb) &&
        !e.dryRun &&
        e.responseCode < 300,
    );
}

interface Case {
  action: string;
  args: Record<string, unknown>;
  kind: string;
  name: string;
  ns?: string | null;
  /** What the live object shows once applied. */
  applied: (o: KubeObject) => unknown;
  expected: unknown;
  /** Compare with toMatchObject (the server adds defaults). */
  partial?: boolean;
  /** What a controller would do after the write (no controllers run in this test). */
  afterApply?: () => Promise<void>;
  afterInverse?: () => Promise<void>;
  /** Args for the drift test when the first test leaves the object elsewhere. */
  driftArgs?: Record<string, unknown>;
  /** The value the inverse restores, when it differs from "absent" (e.g. false). */
  restoredDefault?: unknown;
}

const D = { namespace: NS, kind: 'Deployment', name: 'web' };

async function bumpRevision(replicaSet: string, revision: string): Promise<void> {
  const rev = { metadata: { annotations: { 'deployment.kubernetes.io/revision': revision } } };
  await env.cluster.patch('ReplicaSet', NS, replicaSet, { type: 'merge', body: rev });
  await env.cluster.patch('Deployment', NS, 'web', { type: 'merge', body: rev });
}
const CASES: Case[] = [
  {
    action: 'ScaleWorkload',
    args: { ...D, replicas: 5 },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => o.spec.replicas,
    expected: 5,
  },
  {
    action: 'SetImage',
    args: { ...D, container: 'app', image: 'registry.example.com/shop/web:1.28' },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => container(o).image,
    expected: 'registry.example.com/shop/web:1.28',
  },
  {
    action: 'SetContainerResources',
    args: { ...D, container: 'app', limits: { memory: '256Mi' } },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => container(o).resources,
    expected: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  },
  {
    action: 'SetContainerEnv',
    args: {
      ...D,
      container: 'app',
      set: [
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
    },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => container(o).env,
    expected: [
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ],
  },
  {
    action: 'SetProbe',
    args: { ...D, container: 'app', probe: 'readiness', path: '/ready', periodSeconds: 3 },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => container(o).readinessProbe,
    expected: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 3 },
    partial: true,
  },
  {
    action: 'SetNodeSelector',
    args: { ...D, nodeSelector: { disktype: 'ssd' } },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => o.spec.template.spec.nodeSelector,
    expected: { disktype: 'ssd' },
  },
  {
    action: 'SetTolerations',
    args: {
      ...D,
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => o.spec.template.spec.tolerations,
    expected: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
  {
    action: 'SetImagePullSecrets',
    args: { ...D, secrets: ['registry-pull'] },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => o.spec.template.spec.imagePullSecrets,
    expected: [{ name: 'registry-pull' }],
    restoredDefault: [],
  },
  {
    action: 'SetConfigMapVolume',
    args: { ...D, volume: 'config', configMap: 'web-config-v2' },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => o.spec.template.spec.volumes[0].configMap.name,
    expected: 'web-config-v2',
  },
  {
    action: 'RolloutUndo',
    args: { ...D, toRevision: 1 },
    kind: 'Deployment',
    name: 'web',
    applied: (o) => container(o).image,
    expected: 'registry.example.com/shop/web:1.26',
    // The deployment controller gives the restored ReplicaSet the next revision number.
    afterApply: () => bumpRevision('web-aaaa1', '3'),
    afterInverse: () => bumpRevision('web-bbbb2', '4'),
    driftArgs: D,
  },
  {
    action: 'PatchServiceSelector',
    args: { namespace: NS, name: 'web', selector: { app: 'web', tier: 'front' } },
    kind: 'Service',
    name: 'web',
    applied: (o) => o.spec.selector,
    expected: { app: 'web', tier: 'front' },
  },
  {
    action: 'PatchServicePort',
    args: { namespace: NS, name: 'web', port: 80, targetPort: 'http' },
    kind: 'Service',
    name: 'web',
    applied: (o) => o.spec.ports[0].targetPort,
    expected: 'http',
  },
  {
    action: 'AddNetworkPolicyRule',
    args: {
      namespace: NS,
      name: 'web-policy',
      direction: 'ingress',
      peers: [{ podSelector: { app: 'frontend' } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
    kind: 'NetworkPolicy',
    name: 'web-policy',
    applied: (o) => o.spec.ingress,
    expected: [
      {
        from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
  {
    action: 'UpdateResourceQuota',
    args: { namespace: NS, name: 'compute', hard: { pods: '20' } },
    kind: 'ResourceQuota',
    name: 'compute',
    applied: (o) => o.spec.hard,
    expected: { pods: '20', 'requests.cpu': '2' },
  },
  {
    action: 'CordonNode',
    args: { name: 'node-1' },
    kind: 'Node',
    name: 'node-1',
    ns: null,
    applied: (o) => o.spec.unschedulable,
    expected: true,
    restoredDefault: false,
  },
  {
    action: 'SuspendCronJob',
    args: { namespace: NS, name: 'nightly' },
    kind: 'CronJob',
    name: 'nightly',
    applied: (o) => o.spec.suspend,
    expected: true,
  },
  {
    action: 'RolloutRestart',
    args: D,
    kind: 'Deployment',
    name: 'web',
    applied: (o) =>
      typeof o.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
    expected: 'string',
  },
];

describe.each(CASES)('$action', (c) => {
  it('plans a dry-run diff, applies exactly it, reports isApplied, and its inverse restores the object', async () => {
    const before = await get(c.kind, c.name, c.ns ?? NS);
    const step = await planStep(c.action, c.args, env.cluster);
    expect(step.target).toMatchObject({
      kind: c.kind,
      name: c.name,
      resourceVersion: before.metadata.resourceVersion,
    });
    expect(step.patch?.type).toBe('json');
    expect(step.diff.length).toBeGreaterThan(0);
    // The plan's dry run wrote nothing.
    expect((await get(c.kind, c.name, c.ns ?? NS)).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(await isApplied(step, env.cluster)).toBe(false);
    for (const entry of step.diff) expect(entry.before).not.toEqual(entry.after);

    const mark = env.sim.audit.entries().length;
    const observed = await applyStep(step, env.cluster, { operationId: 'op-actions-1' });
    const writes = writesSince(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      verb: 'patch',
      fieldManager: 'opsloop-executor',
      patchType: 'application/json-patch+json',
    });
    const after = await get(c.kind, c.name, c.ns ?? NS);
    // Nothing else wrote in between (no controllers run here): before is the planned version.
    expect(observed).toEqual({
      resourceVersionBefore: before.metadata.resourceVersion,
      resourceVersionAfter: after.metadata.resourceVersion,
    });
    expect(after.metadata.annotations?.[OPERATION_ANNOTATION]).toBe('op-actions-1');
    if (c.partial) expect(c.applied(after)).toMatchObject(c.expected as object);
    else expect(c.applied(after)).toEqual(c.expected);
    await c.afterApply?.();
    expect(await isApplied(step, env.cluster)).toBe(true);
    // The dry-run "after" is what the real write produced.
    for (const entry of step.diff) expect(entry.after).not.toBeUndefined();

    const inverse = inverseOf(step);
    if (c.action === 'RolloutRestart' || c.action === 'AddNetworkPolicyRule') {
      expect(inverse).toBeNull();
      return;
    }
    expect(inverse).not.toBeNull();
    const undo = await planStep(inverse!.action, inverse!.args, env.cluster);
    await applyStep(undo, env.cluster);
    await c.afterInverse?.();
    const restored = await get(c.kind, c.name, c.ns ?? NS);
    const expectedBack =
      c.applied(before) ??
      c.restoredDefault ??
      (c.action === 'SetNodeSelector' ? {} : c.action === 'SetTolerations' ? [] : undefined);
    expect(c.applied(restored)).toEqual(expectedBack);
  });

  it('refuses to write when the desired state changed after planning (DriftError, no write)', async () => {
    const step = await planStep(c.action, c.driftArgs ?? c.args, env.cluster);
    // Someone else changes the target's spec in between.
    const ns = c.ns === null ? null : NS;
    const live = await get(c.kind, c.name, ns);
    await env.cluster.patch(c.kind, ns, c.name, {
      type: 'merge',
      body: { spec: SPEC_TWEAK[c.kind]!(live) },
    });
    const mark = env.sim.audit.entries().length;
    const error = await applyStep(step, env.cluster).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).code).toBe('OPS_ERR_TARGET_DRIFTED');
    // The planned resourceVersion stays in the audit trail: expected vs actual.
    expect((error as DriftError).details).toMatchObject({
      planned: step.target.resourceVersion,
      live: expect.not.stringMatching(`^${step.target.resourceVersion}$`),
      changed: expect.stringMatching(/^\/(metadata\/generation|spec|data)/),
    });
    expect(writesSince(mark)).toEqual([]);
    expect(await isApplied(step, env.cluster)).toBe(false);
    // Put the spec back for the cases that follow.
    await env.cluster.patch(c.kind, ns, c.name, {
      type: 'json',
      body: [{ op: 'replace', path: '/spec', value: live.spec }],
    });
  });
});

/** A harmless spec change per target kind, standing for "someone else edited the object". */
const SPEC_TWEAK: Record<string, (o: KubeObject) => Record<string, unknown>> = {
  Deployment: (o) => ({ revisionHistoryLimit: Number(o.spec.revisionHistoryLimit ?? 10) + 1 }),
  Service: (o) => ({ publishNotReadyAddresses: !o.spec.publishNotReadyAddresses }),
  NetworkPolicy: (o) => ({
    podSelector: { matchLabels: { ...o.spec.podSelector?.matchLabels, touched: 'yes' } },
  }),
  ResourceQuota: (o) => ({ hard: { ...o.spec.hard, 'count/configmaps': '999' } }),
  Node: (o) => ({
    taints: [...(o.spec.taints ?? []), { key: 'opsloop.test/touched', effect: 'PreferNoSchedule' }],
  }),
  CronJob: (o) => ({ startingDeadlineSeconds: Number(o.spec.startingDeadlineSeconds ?? 100) + 1 }),
};

describe('drift guard and status churn', () => {
  it('a status-only or metadata-only change since planning does not invalidate the plan', async () => {
    const plans = [
      {
        action: 'ScaleWorkload',
        args: { ...D, replicas: 4 },
        kind: 'Deployment',
        name: 'web',
        ns: NS,
      },
      { action: 'CordonNode', args: { name: 'node-1' }, kind: 'Node', name: 'node-1', ns: null },
    ];
    for (const p of plans) {
      const step = await planStep(p.action, p.args, env.cluster);
      const live = await get(p.kind, p.name, p.ns);
      // A controller writes status (a Deployment's conditions, a Node's heartbeat) and labels.
      await setStatus(env.cluster, live, {
        ...live.status,
        conditions: [
          ...((live.status?.conditions as unknown[]) ?? []),
          {
            type: 'OpsloopTestHeartbeat',
            status: 'True',
            lastHeartbeatTime: new Date().toISOString(),
          },
        ],
      });
      await env.cluster.patch(p.kind, p.ns, p.name, {
        type: 'merge',
        body: { metadata: { labels: { touched: String(Date.now()) } } },
      });
      const churned = await get(p.kind, p.name, p.ns);
      expect(churned.metadata.resourceVersion).not.toBe(step.target.resourceVersion);
      const mark = env.sim.audit.entries().length;
      const observed = await applyStep(step, env.cluster);
      expect(writesSince(mark)).toHaveLength(1);
      // What was observed is the churned object the write was pinned to, not the planned one.
      expect(observed.resourceVersionBefore).toBe(churned.metadata.resourceVersion);
      expect(observed.resourceVersionAfter).toBe(
        (await get(p.kind, p.name, p.ns)).metadata.resourceVersion,
      );
      expect(await isApplied(step, env.cluster)).toBe(true);
      const undo = inverseOf(step)!;
      await applyStep(await planStep(undo.action, undo.args, env.cluster), env.cluster);
    }
  });
});

describe('who wrote it', () => {
  it('sends the userAgent given to connectCluster (the audit log names it as field manager)', async () => {
    const cluster = await connectCluster({
      kubeconfigText: env.sim.kubeconfig(),
      userAgent: 'opsloop-test-agent/1.0',
    });
    const mark = env.sim.audit.entries().length;
    await cluster.patch('ConfigMap', NS, 'web-config', {
      type: 'merge',
      body: { metadata: { labels: { agent: 'seen' } } },
    });
    // kube-sim, like the API server, names an unnamed manager after the User-Agent.
    expect(writesSince(mark)).toEqual([
      expect.objectContaining({ verb: 'patch', fieldManager: 'opsloop-test-agent' }),
    ]);
  });

  it('refuses an operation id that is not one before writing', async () => {
    const step = await planStep('ScaleWorkload', { ...D, replicas: 7 }, env.cluster);
    const mark = env.sim.audit.entries().length;
    await expect(
      applyStep(step, env.cluster, { operationId: 'op"; rm -rf' }),
    ).rejects.toMatchObject({ code: 'OPS_ERR_INVALID_ARGS' });
    expect(writesSince(mark)).toEqual([]);
  });
});

describe('catalog coverage and guards', () => {
  it('tests every single-patch action above; the multi-call ones have their own tests', () => {
    const tested = new Set([
      ...CASES.map((c) => c.action),
      'UncordonNode',
      'ResumeCronJob',
      'DrainNode',
      'DeletePod',
      'RecreateJob',
      'ClearCommandOverride', // actions-command.int.test.ts
      'ReplaceServiceHost', // actions-service-host.int.test.ts
      'RecreateClaim', // actions-claim.int.test.ts
    ]);
    expect([...tested].sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it('refuses protected namespaces unless the policy allows them', async () => {
    await expect(
      planStep(
        'ScaleWorkload',
        { namespace: 'kube-system', kind: 'Deployment', name: 'coredns', replicas: 1 },
        env.cluster,
      ),
    ).rejects.toBeInstanceOf(ProtectedNamespaceError);
  });

  it('refuses a no-op and a probe that does not exist', async () => {
    const live = await get('Deployment', 'web');
    await expect(
      planStep('ScaleWorkload', { ...D, replicas: live.spec.replicas }, env.cluster),
    ).rejects.toBeInstanceOf(PreconditionError);
    await expect(
      planStep('SetProbe', { ...D, container: 'app', probe: 'startup', path: '/x' }, env.cluster),
    ).rejects.toBeInstanceOf(PreconditionError);
  });

  it('UncordonNode and ResumeCronJob are the inverses of cordon/suspend', async () => {
    const cordon = await planStep('CordonNode', { name: 'node-1' }, env.cluster).catch(() => null);
    if (cordon) await applyStep(cordon, env.cluster);
    const un = await planStep('UncordonNode', { name: 'node-1' }, env.cluster);
    await applyStep(un, env.cluster);
    expect((await get('Node', 'node-1', null)).spec.unschedulable).toBe(false);
    expect(inverseOf(un)).toEqual({ action: 'CordonNode', args: { name: 'node-1' } });
    const suspend = await planStep(
      'SuspendCronJob',
      { namespace: NS, name: 'nightly' },
      env.cluster,
    ).catch(() => null);
    if (suspend) await applyStep(suspend, env.cluster);
    const resume = await planStep('ResumeCronJob', { namespace: NS, name: 'nightly' }, env.cluster);
    await applyStep(resume, env.cluster);
    expect((await get('CronJob', 'nightly')).spec.suspend).toBe(false);
  });
});

describe('SetImagePullSecrets', () => {
  it('references only an existing Secret of type dockerconfigjson, read as metadata only', async () => {
    for (const secrets of [['app-settings'], ['no-such-secret']]) {
      const error = await planStep('SetImagePullSecrets', { ...D, secrets }, env.cluster).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PreconditionError);
      expect((error as Error).message).toMatch(/registry secrets there: registry-pull/);
    }
    const mark = env.sim.audit.entries().length;
    const step = await planStep(
      'SetImagePullSecrets',
      { ...D, secrets: ['registry-pull'] },
      env.cluster,
    );
    // Planning wrote nothing to Secrets (the audit log records writes), and no credential
    // reached the plan (the Secret list is asked for as PartialObjectMetadataList).
    expect(writesSince(mark).filter((e) => e.resource === 'secrets')).toEqual([]);
    expect(JSON.stringify(step)).not.toMatch(/auths|bm90LWE/);
  });
});

describe('SetConfigMapVolume', () => {
  it('points a volume only at an existing ConfigMap that holds the mounted keys', async () => {
    for (const [configMap, why] of [
      ['no-such-config', /no ConfigMap no-such-config/],
      ['web-config-old', /lacks the key\(s\) web.conf/],
    ] as const) {
      await expect(
        planStep('SetConfigMapVolume', { ...D, volume: 'config', configMap }, env.cluster),
      ).rejects.toThrow(why);
    }
    await expect(
      planStep(
        'SetConfigMapVolume',
        { ...D, volume: 'data', configMap: 'web-config-v2' },
        env.cluster,
      ),
    ).rejects.toBeInstanceOf(PreconditionError);
  });
});

describe('multi-call actions', () => {
  it('DeletePod deletes only a controller-owned pod, guarded by uid and resourceVersion', async () => {
    await expect(
      planStep('DeletePod', { namespace: NS, name: 'bare' }, env.cluster),
    ).rejects.toBeInstanceOf(PreconditionError);
    const step: PlannedStep = await planStep(
      'DeletePod',
      { namespace: NS, name: 'web-bbbb2-x1' },
      env.cluster,
    );
    expect(step.patch).toBeUndefined();
    expect(await isApplied(step, env.cluster)).toBe(false);
    const pod = await get('Pod', 'web-bbbb2-x1');
    expect(await applyStep(step, env.cluster)).toEqual({
      resourceVersionBefore: pod.metadata.resourceVersion,
      resourceVersionAfter: null,
    });
    expect(await isApplied(step, env.cluster)).toBe(true);
    expect(inverseOf(step)).toBeNull();
  });

  it('RecreateJob deletes the failed Job and creates it again; a retry never writes twice', async () => {
    const old = await get('Job', 'migrate');
    const step = await planStep('RecreateJob', { namespace: NS, name: 'migrate' }, env.cluster);
    const mark = env.sim.audit.entries().length;
    const observed = await applyStep(step, env.cluster, { operationId: 'op-rerun' });
    const fresh = await get('Job', 'migrate');
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
    // The new Job is derived from the live one, and says which operation made it.
    expect(observed).toEqual({
      resourceVersionBefore: old.metadata.resourceVersion,
      resourceVersionAfter: fresh.metadata.resourceVersion,
    });
    expect(fresh.metadata.annotations?.[OPERATION_ANNOTATION]).toBe('op-rerun');
    expect(fresh.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/shop/migrate:3',
    );
    expect(await isApplied(step, env.cluster)).toBe(true);
    const count = writesSince(mark).length;
    await applyStep(step, env.cluster); // a crashed executor retrying
    expect(writesSince(mark).length).toBe(count);
  });

  it('DrainNode cordons and evicts the planned pods through the eviction API', async () => {
    const rs = await get('ReplicaSet', 'web-bbbb2');
    await env.cluster.create('Pod', NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-bbbb2-y2',
        namespace: NS,
        labels: { app: 'web' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid!,
            controller: true,
          },
        ],
      },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'app', image: 'registry.example.com/shop/web:1.27' }],
      },
    });
    const step = await planStep('DrainNode', { name: 'node-1', timeoutSeconds: 5 }, env.cluster);
    expect(step.diff.find((d) => d.path === 'evictions')?.before).toEqual([
      expect.stringMatching(/^shop\/web-bbbb2-y2#/),
    ]);
    const mark = env.sim.audit.entries().length;
    const node = await get('Node', 'node-1', null);
    const observed = await applyStep(step, env.cluster);
    expect(observed).toEqual({
      resourceVersionBefore: node.metadata.resourceVersion,
      resourceVersionAfter: (await get('Node', 'node-1', null)).metadata.resourceVersion,
    });
    expect(
      writesSince(mark).map(
        (e) => `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ''}`,
      ),
    ).toEqual(['patch nodes', 'create pods/eviction']);
    expect(await isApplied(step, env.cluster)).toBe(true);
    expect(inverseOf(step)).toEqual({ action: 'UncordonNode', args: { name: 'node-1' } });
  });
});
