import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckFailed, CheckPassed, checkCommand } from '@opsloop/contracts';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { CHECKS, InvalidArgsError, connectCluster, runCheck } from '../src/mod.ts';
import type { KubeObject } from '../src/mod.ts';
import { create, setStatus, startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

const NS = 'checks';
let env: SimEnv;
const objs: Record<string, KubeObject> = {};
const now = () => new Date().toISOString();

beforeAll(async () => {
  env = await startSimEnv();
  const c = env.cluster;
  await create(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  objs.deploy = await create(c, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'c', image: 'api:1' }] },
      },
    },
  });
  objs.pod = await create(c, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-1', namespace: NS, labels: { app: 'api' } },
    spec: { containers: [{ name: 'c', image: 'api:1' }] },
  });
  objs.svc = await create(c, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: NS },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  objs.job = await create(c, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once', namespace: NS },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'job:1' }] } },
    },
  });
  objs.pvc = await create(c, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: NS },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  objs.quota = await create(c, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'q', namespace: NS },
    spec: { hard: { pods: '2' } },
  });
  objs.hpa = await create(c, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 1,
      maxReplicas: 3,
    },
  });
  objs.node = await create(c, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: {},
  });
});
afterAll(async () => env?.stop());

/** Every verdict of this file, as the verifier would record it. */
const recorded: { type: string; check: string; ok: boolean }[] = [];

/**
 * Runs a check and sends its verdict across the seam: checkCommand → decide's payload must
 * parse as CheckPassed (passed) or CheckFailed (failed), whatever the check saw.
 */
async function run(name: string, args: Record<string, unknown>) {
  const check = { name, args: args as never };
  const verdict = await runCheck(check, env.cluster, { timeoutMs: 5000 });
  const { type, ...payload } = checkCommand(0, check, verdict);
  const event = type === 'PassCheck' ? CheckPassed : CheckFailed;
  recorded.push({ type, check: name, ok: event.schema.safeParse(payload).success });
  expect(type).toBe(verdict.passed ? 'PassCheck' : 'FailCheck');
  return verdict;
}

describe('verification checks, each on a failing then a passing state', () => {
  it('RolloutComplete', async () => {
    const args = { namespace: NS, kind: 'Deployment', name: 'api' };
    await setStatus(env.cluster, objs.deploy!, {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 1,
      availableReplicas: 1,
    });
    expect(await run('RolloutComplete', args)).toMatchObject({
      passed: false,
      observed: { updated: 1, available: 1 },
    });
    await setStatus(env.cluster, objs.deploy!, {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
      readyReplicas: 2,
    });
    expect(await run('RolloutComplete', args)).toMatchObject({ passed: true });
  });

  it('PodsHealthy (running, ready, no restart within the window)', async () => {
    const args = { namespace: NS, selector: 'app=api', stableSeconds: 60 };
    const restartedAt = new Date(Date.now() - 10_000).toISOString();
    const status = (finishedAt: string) => ({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'c',
          ready: true,
          restartCount: 1,
          image: 'api:1',
          imageID: '',
          started: true,
          state: { running: { startedAt: finishedAt } },
          lastState: { terminated: { exitCode: 1, finishedAt, reason: 'Error' } },
        },
      ],
    });
    await setStatus(env.cluster, objs.pod!, status(restartedAt));
    const failing = await run('PodsHealthy', args);
    expect(failing.passed).toBe(false);
    expect(failing.message).toContain('restarted recently');
    await setStatus(env.cluster, objs.pod!, status(new Date(Date.now() - 600_000).toISOString()));
    expect(await run('PodsHealthy', args)).toMatchObject({ passed: true, observed: { pods: 1 } });
    expect((await run('PodsHealthy', { ...args, selector: 'app=nothing' })).passed).toBe(false);
  });

  it('EndpointsReady', async () => {
    expect((await run('EndpointsReady', { namespace: NS, service: 'api', min: 1 })).passed).toBe(
      false,
    );
    await create(env.cluster, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'api', namespace: NS },
      subsets: [{ addresses: [{ ip: '10.0.0.5' }], ports: [{ port: 8080 }] }],
    }).catch(async () =>
      env.cluster.patch('Endpoints', NS, 'api', {
        type: 'merge',
        body: { subsets: [{ addresses: [{ ip: '10.0.0.5' }], ports: [{ port: 8080 }] }] },
      }),
    );
    expect(await run('EndpointsReady', { namespace: NS, service: 'api', min: 1 })).toMatchObject({
      passed: true,
      observed: { ready: 1 },
    });
    expect((await run('EndpointsReady', { namespace: NS, service: 'api', min: 2 })).passed).toBe(
      false,
    );
  });

  it('NoNewWarningEvents', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    expect(
      (await run('NoNewWarningEvents', { namespace: NS, kind: 'Pod', name: 'api-1', since }))
        .passed,
    ).toBe(true);
    await create(env.cluster, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'api-1.warn', namespace: NS },
      involvedObject: { kind: 'Pod', name: 'api-1', namespace: NS },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      lastTimestamp: now(),
      firstTimestamp: now(),
      count: 1,
    });
    const failing = await run('NoNewWarningEvents', {
      namespace: NS,
      kind: 'Pod',
      name: 'api-1',
      since,
    });
    expect(failing).toMatchObject({ passed: false });
    expect(failing.message).toContain('BackOff');
  });

  it('ServiceResponds goes through the API server service proxy', async () => {
    const args = { namespace: NS, service: 'api', port: 80, path: '/ready', status: 200 };
    expect(await run('ServiceResponds', args)).toMatchObject({
      passed: false,
      observed: { status: 503 },
    });
    // The simulation's workload hook answers as a pod behind the service would.
    env.sim.setHooks({
      logs: () => [],
      followLogs: () => () => {},
      proxy: async (_ns, _svc, _port, req) => ({
        status: req.path === '/ready' ? 200 : 404,
        headers: {},
        body: 'ok',
      }),
    });
    expect(await run('ServiceResponds', args)).toMatchObject({
      passed: true,
      observed: { status: 200 },
    });
    expect((await run('ServiceResponds', { ...args, path: '/missing' })).passed).toBe(false);
  });

  it('JobComplete', async () => {
    expect((await run('JobComplete', { namespace: NS, name: 'once' })).passed).toBe(false);
    await setStatus(env.cluster, objs.job!, {
      succeeded: 1,
      conditions: [
        { type: 'Complete', status: 'True', lastTransitionTime: now(), lastProbeTime: now() },
      ],
    });
    expect(await run('JobComplete', { namespace: NS, name: 'once' })).toMatchObject({
      passed: true,
      observed: { succeeded: 1 },
    });
  });

  it('PvcBound', async () => {
    expect((await run('PvcBound', { namespace: NS, name: 'data' })).passed).toBe(false);
    await setStatus(env.cluster, objs.pvc!, { phase: 'Bound' });
    expect((await run('PvcBound', { namespace: NS, name: 'data' })).passed).toBe(true);
  });

  it('QuotaWithinLimits', async () => {
    await setStatus(env.cluster, objs.quota!, { hard: { pods: '2' }, used: { pods: '2' } });
    expect(await run('QuotaWithinLimits', { namespace: NS, name: 'q' })).toMatchObject({
      passed: false,
    });
    await setStatus(env.cluster, objs.quota!, { hard: { pods: '2' }, used: { pods: '1' } });
    expect((await run('QuotaWithinLimits', { namespace: NS, name: 'q' })).passed).toBe(true);
  });

  it('HpaActive', async () => {
    const cond = (status: string) => ({
      currentReplicas: 1,
      desiredReplicas: 1,
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: now() },
        {
          type: 'ScalingActive',
          status,
          reason: status === 'True' ? 'ValidMetricFound' : 'FailedGetResourceMetric',
          lastTransitionTime: now(),
        },
      ],
    });
    await setStatus(env.cluster, objs.hpa!, cond('False'));
    expect(await run('HpaActive', { namespace: NS, name: 'api' })).toMatchObject({
      passed: false,
      observed: { reason: 'FailedGetResourceMetric' },
    });
    await setStatus(env.cluster, objs.hpa!, cond('True'));
    expect((await run('HpaActive', { namespace: NS, name: 'api' })).passed).toBe(true);
  });

  it('NodeReady', async () => {
    await setStatus(env.cluster, objs.node!, {
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          lastTransitionTime: now(),
          lastHeartbeatTime: now(),
        },
      ],
    });
    expect(await run('NodeReady', { name: 'n1' })).toMatchObject({
      passed: false,
      observed: { reason: 'NodeStatusUnknown' },
    });
    await setStatus(env.cluster, objs.node!, {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastTransitionTime: now(),
          lastHeartbeatTime: now(),
        },
      ],
    });
    expect((await run('NodeReady', { name: 'n1' })).passed).toBe(true);
  });

  it('rejects bad arguments and unknown checks', async () => {
    await expect(run('NodeReady', { name: 'N1; rm' })).rejects.toBeInstanceOf(InvalidArgsError);
    await expect(run('Whatever', {})).rejects.toBeInstanceOf(InvalidArgsError);
    expect(Object.keys(CHECKS)).toHaveLength(10);
  });

  it("runCheck's timeout bounds a check against an API server that never answers", async () => {
    // A real listener that accepts connections and never says a word: a hung API server.
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const kubeconfig = env.sim
        .kubeconfig()
        .replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`);
      // The client's own per-request timeout is far longer than the check's.
      const hung = await connectCluster({ kubeconfigText: kubeconfig, timeoutMs: 60_000 });
      const check = { name: 'NodeReady', args: { name: 'n1' } };
      const verdict = await runCheck(check, hung, { timeoutMs: 300 });
      expect(verdict).toEqual({
        passed: false,
        observed: { timeoutMs: 300 },
        message: 'check timed out after 300 ms',
      });
      expect(sockets.length).toBeGreaterThan(0);
      const { type, ...payload } = checkCommand(0, check, verdict);
      expect(type).toBe('FailCheck');
      expect(CheckFailed.schema.parse(payload)).toMatchObject({ observed: { timeoutMs: 300 } });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  it('every verdict above, passed or failed, is a valid CheckPassed / CheckFailed payload', () => {
    expect(recorded.filter((r) => !r.ok)).toEqual([]);
    // Each check was seen both failing and passing.
    for (const name of Object.keys(CHECKS)) {
      const types = new Set(recorded.filter((r) => r.check === name).map((r) => r.type));
      expect([name, [...types].sort()]).toEqual([name, ['FailCheck', 'PassCheck']]);
    }
  });
});
