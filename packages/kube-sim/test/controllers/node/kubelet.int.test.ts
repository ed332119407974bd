// The kubelet's symptoms, each with the exact reason, event and log text a real node shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { findEvent, startTestCluster, type TestCluster } from './cluster.ts';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster(50, undefined, [
    {
      apiVersion: 'sim.opsloop.dev/v1alpha1',
      kind: 'ImageBehavior',
      spec: {
        image: 'shop/api:1.0',
        binaries: ['api', 'sh'],
        listen: [{ port: 8080, http: { '/healthz': 200 } }],
        memoryMi: 300,
      },
    },
  ]);
});
afterAll(async () => {
  await c.stop();
});

function pod(ns: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec });
}

async function ns(name: string): Promise<void> {
  await c.kubectl.ok(['create', 'namespace', name]);
}

const status = (p: V1Pod | undefined): V1ContainerStatus | undefined =>
  p?.status?.containerStatuses?.[0];

async function waitReason(
  namespace: string,
  name: string,
  reason: string,
): Promise<V1ContainerStatus> {
  return c.waitFor(`${name} to show ${reason}`, async () => {
    const s = status(await c.pod(namespace, name));
    const r = s?.state?.waiting?.reason ?? s?.state?.terminated?.reason;
    return r === reason ? s : undefined;
  });
}

async function waitEvent(
  namespace: string,
  name: string,
  reason: string,
  text: string,
): Promise<string> {
  const e = await c.waitFor(`event ${reason} "${text}" on ${name}`, async () =>
    findEvent(await c.events(namespace, name), reason, text),
  );
  return e.message ?? '';
}

describe('kubelet', { timeout: 30_000 }, () => {
  it('runs a pod: IP, conditions, container status, QoS', async () => {
    await ns('run');
    await c.apply(
      pod('run', 'web', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: {
              requests: { cpu: '100m', memory: '64Mi' },
              limits: { cpu: '100m', memory: '64Mi' },
            },
          },
        ],
      }),
    );
    const p = await c.waitFor('web Ready', async () => {
      const p = await c.pod('run', 'web');
      return p?.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'True'
        ? p
        : undefined;
    });
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(p.status?.hostIP).toMatch(/^172\.18\.0\.\d+$/);
    expect(p.status?.qosClass).toBe('Guaranteed');
    expect(p.status?.conditions?.map((x) => x.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ]);
    const s = status(p)!;
    expect(s.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(s.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(s.started).toBe(true);
    expect(
      await waitEvent('run', 'web', 'Scheduled', 'Successfully assigned run/web to node-'),
    ).toMatch(/^Successfully assigned run\/web to node-\d$/);
    expect(await c.kubectl.ok(['logs', 'web', '-n', 'run'])).toContain(
      'Configuration complete; ready for start up',
    );
    const usage = c.controllers.node.podUsage('run', 'web');
    expect(usage?.memoryBytes).toBeGreaterThan(0);
    const metrics = c.controllers.node.podMetricsList('run');
    expect(metrics.map((m) => m.metadata.name)).toEqual(['web']);
    expect(metrics[0]!['containers']).toEqual([
      {
        name: 'app',
        usage: { cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) },
      },
    ]);
    const nodeMetrics = c.controllers.node
      .nodeMetricsList()
      .find((m) => m.metadata.name === p.spec?.nodeName);
    expect(nodeMetrics?.['usage']).toBeDefined();
  });

  it('fails a pull with ErrImagePull then ImagePullBackOff and the kubelet events', async () => {
    await ns('pull');
    await c.apply(pod('pull', 'bad', { containers: [{ name: 'app', image: 'nginx:9.99-nope' }] }));
    await waitReason('pull', 'bad', 'ImagePullBackOff');
    expect(await waitEvent('pull', 'bad', 'Failed', 'Failed to pull image')).toBe(
      'Failed to pull image "nginx:9.99-nope": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.99-nope": failed to resolve reference "docker.io/library/nginx:9.99-nope": docker.io/library/nginx:9.99-nope: not found',
    );
    await waitEvent('pull', 'bad', 'Failed', 'Error: ErrImagePull');
    await waitEvent('pull', 'bad', 'BackOff', 'Back-off pulling image "nginx:9.99-nope"');
    await waitEvent('pull', 'bad', 'Failed', 'Error: ImagePullBackOff');
    const logs = await c.kubectl.run(['logs', 'bad', '-n', 'pull']);
    expect(logs.stderr).toContain('is waiting to start');
  });

  it('holds a container in CreateContainerConfigError until the Secret key exists', async () => {
    await ns('cfg');
    await c.kubectl.ok([
      'create',
      'secret',
      'generic',
      'db-credentials',
      '-n',
      'cfg',
      '--from-literal=user=app',
    ]);
    await c.apply(
      pod('cfg', 'api', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            env: [
              {
                name: 'DB_PASSWORD',
                valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } },
              },
            ],
          },
        ],
      }),
    );
    const s = await waitReason('cfg', 'api', 'CreateContainerConfigError');
    expect(s.state?.waiting?.message).toBe(
      "couldn't find key password in Secret cfg/db-credentials",
    );
    await waitEvent(
      'cfg',
      'api',
      'Failed',
      "Error: couldn't find key password in Secret cfg/db-credentials",
    );
    await c.apply(
      pod('cfg', 'api2', {
        containers: [
          { name: 'app', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'x' } }] },
        ],
      }),
    );
    expect(
      (await waitReason('cfg', 'api2', 'CreateContainerConfigError')).state?.waiting?.message,
    ).toBe('configmap "x" not found');
    await c.kubectl.ok(['delete', 'secret', 'db-credentials', '-n', 'cfg']);
    await c.kubectl.ok([
      'create',
      'secret',
      'generic',
      'db-credentials',
      '-n',
      'cfg',
      '--from-literal=password=s3cret',
    ]);
    await c.waitFor(
      'api running after the fix',
      async () => status(await c.pod('cfg', 'api'))?.state?.running !== undefined,
    );
  });

  it('keeps a pod ContainerCreating with FailedMount for a missing ConfigMap volume', async () => {
    await ns('mount');
    await c.apply(
      pod('mount', 'web', {
        volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
          },
        ],
      }),
    );
    expect(await waitEvent('mount', 'web', 'FailedMount', 'MountVolume')).toBe(
      'MountVolume.SetUp failed for volume "config" : configmap "web-config" not found',
    );
    expect(status(await c.pod('mount', 'web'))?.state?.waiting?.reason).toBe('ContainerCreating');
    await c.kubectl.ok(['create', 'configmap', 'web-config', '-n', 'mount', '--from-literal=a=b']);
    await c.waitFor(
      'web running after the ConfigMap exists',
      async () => status(await c.pod('mount', 'web'))?.state?.running !== undefined,
    );
  });

  it('ends a command the image lacks in StartError 128 and a shell script in 127', async () => {
    await ns('start');
    await c.apply(
      pod('start', 'py', {
        containers: [{ name: 'app', image: 'nginx:1.27', command: ['python3', 'app.py'] }],
      }),
    );
    const s = await c.waitFor('StartError', async () => {
      const st = status(await c.pod('start', 'py'));
      const t = st?.state?.terminated ?? st?.lastState?.terminated;
      return t?.reason === 'StartError' ? t : undefined;
    });
    expect(s.exitCode).toBe(128);
    expect(s.message).toMatch(/exec: "python3": executable file not found in \$PATH: unknown$/);
    await c.apply(
      pod('start', 'sh', {
        restartPolicy: 'Never',
        containers: [
          { name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'python3 app.py'] },
        ],
      }),
    );
    const t = await c.waitFor('sh pod Failed', async () => {
      const p = await c.pod('start', 'sh');
      return p?.status?.phase === 'Failed' ? status(p)?.state?.terminated : undefined;
    });
    expect(t.exitCode).toBe(127);
    expect(await c.kubectl.ok(['logs', 'sh', '-n', 'start'])).toContain('sh: python3: not found');
  });

  it('OOMKills a container whose working set exceeds its memory limit', async () => {
    await ns('oom');
    await c.apply(
      pod('oom', 'api', {
        containers: [
          { name: 'app', image: 'shop/api:1.0', resources: { limits: { memory: '128Mi' } } },
        ],
      }),
    );
    const t = await c.waitFor('OOMKilled', async () => {
      const st = status(await c.pod('oom', 'api'));
      const term = st?.state?.terminated ?? st?.lastState?.terminated;
      return term?.reason === 'OOMKilled' ? term : undefined;
    });
    expect(t.exitCode).toBe(137);
  });

  it('backs off a crashing container 10s, 20s, 40s (CrashLoopBackOff) and keeps previous logs', async () => {
    await ns('crash');
    await c.apply(
      pod('crash', 'c', {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sh', '-c', 'echo run at start; exit 3'],
          },
        ],
      }),
    );
    const messages = new Set<string>();
    await c.waitFor(
      'back-off to reach 40s',
      async () => {
        const s = status(await c.pod('crash', 'c'));
        if (s?.state?.waiting?.reason === 'CrashLoopBackOff')
          messages.add(s.state.waiting.message ?? '');
        return [...messages].some((m) => m.startsWith('back-off 40s'));
      },
      20_000,
    );
    const uid = (await c.pod('crash', 'c'))!.metadata!.uid!;
    expect([...messages]).toContain(
      `back-off 10s restarting failed container=app pod=c_crash(${uid})`,
    );
    expect([...messages]).toContain(
      `back-off 20s restarting failed container=app pod=c_crash(${uid})`,
    );
    await waitEvent(
      'crash',
      'c',
      'BackOff',
      `Back-off restarting failed container app in pod c_crash(${uid})`,
    );
    const s = status(await c.pod('crash', 'c'))!;
    expect(s.restartCount).toBeGreaterThanOrEqual(2);
    expect(s.lastState?.terminated?.exitCode).toBe(3);
    expect(await c.kubectl.ok(['logs', 'c', '-n', 'crash', '--previous'])).toBe('run at start\n');
  });

  it('finishes restartPolicy Never pods as Succeeded or Failed', async () => {
    await ns('never');
    await c.apply(
      pod('never', 'ok', {
        restartPolicy: 'Never',
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'] }],
      }),
    );
    await c.apply(
      pod('never', 'bad', {
        restartPolicy: 'Never',
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'] }],
      }),
    );
    await c.waitFor(
      'ok Succeeded',
      async () => (await c.pod('never', 'ok'))?.status?.phase === 'Succeeded',
    );
    await c.waitFor(
      'bad Failed',
      async () => (await c.pod('never', 'bad'))?.status?.phase === 'Failed',
    );
    expect(status(await c.pod('never', 'ok'))?.state?.terminated?.reason).toBe('Completed');
  });

  it('runs init containers in order and shows Init:CrashLoopBackOff for a failing one', async () => {
    await ns('init');
    await c.apply(
      pod('init', 'good', {
        initContainers: [
          { name: 'one', image: 'busybox:1.36', command: ['sh', '-c', 'echo one'] },
          { name: 'two', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 2; echo two'] },
        ],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    await c.apply(
      pod('init', 'bad', {
        initContainers: [
          { name: 'wait-db', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] },
        ],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    await c.waitFor(
      'good Running',
      async () => (await c.pod('init', 'good'))?.status?.phase === 'Running',
    );
    const good = (await c.pod('init', 'good'))!;
    expect(good.status?.initContainerStatuses?.map((s) => s.state?.terminated?.reason)).toEqual([
      'Completed',
      'Completed',
    ]);
    await c.waitFor('Init:CrashLoopBackOff in kubectl', async () =>
      (await c.kubectl.ok(['get', 'pod', 'bad', '-n', 'init'])).includes('Init:CrashLoopBackOff'),
    );
    expect(
      (await c.pod('init', 'bad'))?.status?.conditions?.find((x) => x.type === 'Initialized')
        ?.message,
    ).toBe('containers with incomplete status: [wait-db]');
  });

  it('probes: readiness 404 keeps the pod unready, liveness failures restart it', async () => {
    await ns('probe');
    await c.apply(
      pod('probe', 'ready', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 2 },
          },
        ],
      }),
    );
    await c.apply(
      pod('probe', 'live', {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            livenessProbe: {
              tcpSocket: { port: 8081 },
              initialDelaySeconds: 3,
              periodSeconds: 2,
              failureThreshold: 2,
            },
          },
        ],
      }),
    );
    expect(await waitEvent('probe', 'ready', 'Unhealthy', 'statuscode')).toBe(
      'Readiness probe failed: HTTP probe failed with statuscode: 404',
    );
    expect(
      (await c.pod('probe', 'ready'))?.status?.conditions?.find((x) => x.type === 'Ready')?.status,
    ).toBe('False');
    const ip = await c.waitFor(
      'live IP',
      async () => (await c.pod('probe', 'live'))?.status?.podIP,
    );
    expect(await waitEvent('probe', 'live', 'Unhealthy', 'Liveness')).toBe(
      `Liveness probe failed: dial tcp ${ip}:8081: connect: connection refused`,
    );
    await waitEvent(
      'probe',
      'live',
      'Killing',
      'Container app failed liveness probe, will be restarted',
    );
    await c.waitFor(
      'a restart',
      async () => (status(await c.pod('probe', 'live'))?.restartCount ?? 0) >= 1,
    );
  });

  it('deletes gracefully: Killing, then the pod is gone', async () => {
    await ns('del');
    await c.apply(pod('del', 'web', { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    await c.waitFor(
      'running',
      async () => status(await c.pod('del', 'web'))?.state?.running !== undefined,
    );
    await c.kubectl.ok(['delete', 'pod', 'web', '-n', 'del', '--wait=true']);
    expect(await c.pod('del', 'web')).toBeUndefined();
    expect(
      findEvent(await c.events('del', 'web'), 'Killing', 'Stopping container app'),
    ).toBeDefined();
  });
});
