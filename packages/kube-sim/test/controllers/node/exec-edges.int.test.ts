// Edges of the API server's exec/attach upgrade, log following and graceful pod deletion,
// with the real kubectl and @kubernetes/client-node against kube-sim's own server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Kubectl, until } from '../../helpers/kubectl.ts';
import { findEvent, startTestCluster, type TestCluster } from './cluster.ts';

let c: TestCluster;
let k: Kubectl;

/** Opens a remote-command WebSocket; resolves with the HTTP answer when it is refused. */
function refusedUpgrade(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string } | 'upgraded'> {
  const ws = new WebSocket(`${c.sim.url.replace('https', 'wss')}${path}`, ['v5.channel.k8s.io'], {
    rejectUnauthorized: false,
    headers,
  });
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      ws.terminate();
      resolve('upgraded');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
}

const token = () => ({ Authorization: `Bearer ${/token: (\S+)/.exec(c.sim.kubeconfig())![1]!}` });

beforeAll(async () => {
  c = await startTestCluster(50);
  k = new Kubectl(c.sim);
  await k.ok(['create', 'namespace', 'edge']);
  await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: edge}
spec:
  containers:
  - {name: app, image: "nginx:1.27"}
---
apiVersion: v1
kind: Pod
metadata: {name: broken, namespace: edge}
spec:
  containers:
  - {name: app, image: "nginx:9.99-never-published"}
---
apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: edge}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'echo boom; exit 1']
`);
  await c.waitFor(
    'web running',
    async () => (await c.pod('edge', 'web'))?.status?.phase === 'Running',
  );
}, 60_000);
afterAll(async () => {
  await c.stop();
});

describe('exec/attach upgrade', { timeout: 30_000 }, () => {
  it('answers plain HTTP errors before upgrading', async () => {
    const exec = '/exec?command=true&stdout=true';
    expect(await refusedUpgrade(`/api/v1/namespaces/edge/pods/web${exec}`, {})).toMatchObject({
      status: 401,
    });
    const missing = await refusedUpgrade(`/api/v1/namespaces/edge/pods/nope${exec}`, token());
    expect(missing).toMatchObject({ status: 404 });
    expect(JSON.parse((missing as { body: string }).body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "nope" not found',
    });
    const badContainer = await refusedUpgrade(
      `/api/v1/namespaces/edge/pods/web${exec}&container=sidecar`,
      token(),
    );
    expect(badContainer).toMatchObject({ status: 400 });
    expect((badContainer as { body: string }).body).toContain(
      'container sidecar is not valid for pod web',
    );
    expect(await refusedUpgrade(`/api/v1/namespaces/edge/pods/web${exec}`, token())).toBe(
      'upgraded',
    );
  });

  it('authorizes the create verb on pods/exec (kubectl --as)', async () => {
    const denied = await k.run(['exec', 'web', '-n', 'edge', '--as=bob', '--', 'true']);
    expect(denied.code).not.toBe(0);
    // kubectl first reads the pod as bob, which is refused too; grant that and try again.
    await k.ok(['create', 'role', 'pod-reader', '-n', 'edge', '--verb=get', '--resource=pods']);
    await k.ok([
      'create',
      'rolebinding',
      'bob-reads',
      '-n',
      'edge',
      '--role=pod-reader',
      '--user=bob',
    ]);
    const noExec = await k.run(['exec', 'web', '-n', 'edge', '--as=bob', '--', 'true']);
    expect(noExec.code).not.toBe(0);
    expect(noExec.stderr).toContain('cannot create resource "pods/exec"');
    await k.ok([
      'create',
      'role',
      'pod-exec',
      '-n',
      'edge',
      '--verb=create',
      '--resource=pods/exec',
    ]);
    await k.ok([
      'create',
      'rolebinding',
      'bob-execs',
      '-n',
      'edge',
      '--role=pod-exec',
      '--user=bob',
    ]);
    expect(
      await k.ok(['exec', 'web', '-n', 'edge', '--as=bob', '--', 'cat', '/etc/hostname']),
    ).toBe('web\n');
    expect(
      c.sim.audit.entries().filter((e) => e.subresource === 'exec' && e.user === 'bob'),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ verb: 'create', responseCode: 403 }),
        expect.objectContaining({ verb: 'create', responseCode: 101 }),
      ]),
    );
  });

  it('refuses exec into a container that is not running, as kubectl shows it', async () => {
    await c.waitFor('broken pulling', async () =>
      findEvent(await c.events('edge', 'broken'), 'Failed', 'ErrImagePull'),
    );
    const result = await k.run(['exec', 'broken', '-n', 'edge', '--', 'true']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('container not found ("app")');
  });
});

describe('logs', { timeout: 30_000 }, () => {
  it('reads the last instance of a container waiting to restart, and explains a failed pull', async () => {
    await c.waitFor('crasher restarted', async () => {
      const s = (await c.pod('edge', 'crasher'))?.status?.containerStatuses?.[0];
      return (s?.restartCount ?? 0) >= 1 && s?.state?.waiting !== undefined;
    });
    expect(await k.ok(['logs', 'crasher', '-n', 'edge'])).toBe('boom\n');
    const pull = await k.run(['logs', 'broken', '-n', 'edge']);
    expect(pull.stderr).toContain(
      'container "app" in pod "broken" is waiting to start: trying and failing to pull image',
    );
  });

  it('-f ends when the container instance ends', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: once, namespace: edge}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'echo one; sleep 100; echo two']
`);
    await c.waitFor(
      'once running',
      async () => (await c.pod('edge', 'once'))?.status?.phase === 'Running',
    );
    const started = Date.now();
    const follow = await k.run(['logs', '-f', 'once', '-n', 'edge']);
    expect(follow).toMatchObject({ code: 0, stdout: 'one\ntwo\n' });
    // 100 sim seconds at speed 50 = 2 s; kubectl's own 30 s timeout would mean no end signal.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('metrics.k8s.io', { timeout: 30_000 }, () => {
  it("kubectl top pod and top node read the kubelets' simulated usage", async () => {
    const pods = await k.ok(['top', 'pod', '-n', 'edge']);
    expect(pods).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(pods).toMatch(/^web\s+\d+m\s+\d+Mi\s*$/m);
    const nodes = await k.ok(['top', 'node']);
    expect(nodes).toMatch(/^node-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/m);
    const bob = await k.run(['top', 'pod', '-n', 'edge', '--as=nobody']);
    expect(bob.code).not.toBe(0);
    expect(bob.stderr).toContain('cannot list resource "pods" in API group "metrics.k8s.io"');
  });
});

describe('graceful pod deletion', { timeout: 30_000 }, () => {
  it('marks the pod Terminating, kills its containers, then removes it', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: slow, namespace: edge}
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'trap "" TERM; while true; do sleep 1; done']
`);
    await c.waitFor(
      'slow running',
      async () => (await c.pod('edge', 'slow'))?.status?.phase === 'Running',
    );
    await k.ok(['delete', 'pod', 'slow', '-n', 'edge', '--wait=false']);
    const terminating = await c.pod('edge', 'slow');
    expect(terminating?.metadata?.deletionTimestamp).toBeDefined();
    expect(terminating?.metadata?.deletionGracePeriodSeconds).toBe(60);
    expect(await k.ok(['get', 'pod', 'slow', '-n', 'edge', '--no-headers'])).toContain(
      'Terminating',
    );
    await c.waitFor('Killing event', async () =>
      findEvent(await c.events('edge', 'slow'), 'Killing', 'Stopping container app'),
    );
    // 60 sim seconds at speed 50 ≈ 1.2 s: the kubelet removes it after the grace period.
    await until(async () => (await c.pod('edge', 'slow')) === undefined, 15_000, 'slow removed');
  });

  it('kubectl delete waits for the removal; the client sees the same', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: quick, namespace: edge}
spec:
  containers:
  - {name: app, image: "nginx:1.27"}
`);
    await c.waitFor(
      'quick running',
      async () => (await c.pod('edge', 'quick'))?.status?.phase === 'Running',
    );
    expect(await k.ok(['delete', 'pod', 'quick', '-n', 'edge'])).toContain('pod "quick" deleted');
    expect(await c.pod('edge', 'quick')).toBeUndefined();
    const deleted = await c.core.deleteNamespacedPod({ name: 'web', namespace: 'edge' });
    expect(deleted.metadata?.deletionTimestamp).toBeDefined();
    await until(async () => (await c.pod('edge', 'web')) === undefined, 15_000, 'web removed');
  });
});
