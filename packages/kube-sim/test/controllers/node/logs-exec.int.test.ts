// kubectl logs (--tail, --previous, --timestamps, -f), kubectl exec and kubectl run --rm -i
// against the simulated containers, through kube-sim's own HTTPS server (exec/attach are
// WebSocket upgrades routed by src/server/upgrade.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Kubectl, until } from '../../helpers/kubectl.ts';
import { startTestCluster, type TestCluster } from './cluster.ts';

let c: TestCluster;
let k: Kubectl;

/** A WebSocket to the remote-command endpoint with the admin's bearer token. */
function remoteCommand(path: string): WebSocket {
  const token = /token: (\S+)/.exec(c.sim.kubeconfig())![1]!;
  return new WebSocket(`${c.sim.url.replace('https', 'wss')}${path}`, ['v5.channel.k8s.io'], {
    rejectUnauthorized: false,
    headers: { Authorization: `Bearer ${token}` },
  });
}

beforeAll(async () => {
  c = await startTestCluster(50);
  k = new Kubectl(c.sim);
  await k.ok(['create', 'namespace', 'logs']);
  await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: ticker, namespace: logs}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'while true; do echo tick; sleep 1; done']
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: logs}
spec:
  containers:
  - {name: app, image: "nginx:1.27", ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: logs}
spec:
  selector: {run: web-never}
  ports: [{port: 80}]
`);
  await c.waitFor(
    'pods running',
    async () =>
      (await c.pod('logs', 'web'))?.status?.phase === 'Running' &&
      (await c.pod('logs', 'ticker'))?.status?.phase === 'Running',
  );
}, 60_000);
afterAll(async () => {
  await c.stop();
});

describe('kubectl logs', { timeout: 30_000 }, () => {
  it('--tail, --timestamps and --previous pick lines like the kubelet', async () => {
    await until(
      async () => (await k.ok(['logs', 'ticker', '-n', 'logs'])).split('\n').length > 6,
      10_000,
      'ticks',
    );
    const tail = (await k.ok(['logs', 'ticker', '-n', 'logs', '--tail=2'])).trim().split('\n');
    expect(tail).toHaveLength(2);
    expect(tail).toEqual(['tick', 'tick']);
    const stamped = (
      await k.ok(['logs', 'ticker', '-n', 'logs', '--tail=1', '--timestamps'])
    ).trim();
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick$/);
    const previous = await k.run(['logs', 'ticker', '-n', 'logs', '--previous']);
    expect(previous.stderr).toContain(
      'previous terminated container "app" in pod "ticker" not found',
    );
  });

  it('-f streams new lines as the container writes them', async () => {
    const follow = k.spawn(['logs', '-f', 'ticker', '-n', 'logs', '--tail=1']);
    try {
      // --tail=1 prints one line at once; every further line can only come from following.
      await until(
        () => (follow.output().match(/tick/g) ?? []).length >= 4,
        10_000,
        'followed lines',
      );
      expect(follow.child.exitCode).toBeNull();
    } finally {
      follow.child.kill();
    }
  });
});

describe('kubectl exec / run', { timeout: 30_000 }, () => {
  it('runs a command in a container and passes its exit code', async () => {
    expect(await k.ok(['exec', 'web', '-n', 'logs', '--', 'cat', '/etc/hostname'])).toBe('web\n');
    const failed = await k.run(['exec', 'web', '-n', 'logs', '--', 'sh', '-c', 'echo out; exit 3']);
    expect(failed.stdout).toBe('out\n');
    expect(failed.code).toBe(3);
    const missing = await k.run(['exec', 'web', '-n', 'logs', '--', 'python3']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(
      /^error: Internal error occurred: error executing command in container: .*exec: "python3": executable file not found in \$PATH: unknown$/m,
    );
  });

  it('kubectl run --rm -i fetches a Service from a throwaway busybox pod', async () => {
    await k.ok(['label', 'pod', 'web', '-n', 'logs', 'run=web-never']);
    const out = await k.run([
      'run',
      'tmp',
      '-n',
      'logs',
      '--rm',
      '-i',
      '--restart=Never',
      '--image=busybox:1.36',
      '--',
      'wget',
      '-qO-',
      'http://web',
    ]);
    expect(out.stdout).toContain('<title>Welcome to nginx!</title>');
    await until(async () => (await c.pod('logs', 'tmp')) === undefined, 10_000, 'tmp removed');
  });

  it('gives `exec -it sh` a line-at-a-time shell with a prompt', async () => {
    const ws = remoteCommand(
      '/api/v1/namespaces/logs/pods/ticker/exec?command=sh&stdin=true&stdout=true&tty=true',
    );
    let screen = '';
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => {
      frames.push(data);
      if (data[0] === 1) screen += data.subarray(1).toString();
    });
    await new Promise((resolve) => ws.on('open', resolve));
    await until(() => screen.includes('/ # '), 5000, 'prompt');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hostname\r')]));
    await until(() => screen.includes('ticker\r\n/ # '), 5000, 'hostname output');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('exit\r')]));
    await new Promise((resolve) => ws.on('close', resolve));
    const status = frames.find((f) => f[0] === 3)!;
    expect(JSON.parse(status.subarray(1).toString())).toEqual({ metadata: {}, status: 'Success' });
  });

  it('speaks v5.channel.k8s.io: stdin until the close signal, exit code in the Status', async () => {
    const ws = remoteCommand(
      '/api/v1/namespaces/logs/pods/web/exec?command=sh&command=-c&command=cat%3B%20exit%205&stdin=true&stdout=true&stderr=true',
    );
    const frames: { channel: number; text: string }[] = [];
    ws.on('message', (data: Buffer) =>
      frames.push({ channel: data[0]!, text: data.subarray(1).toString() }),
    );
    await new Promise((resolve) => ws.on('open', resolve));
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello\n')]));
    ws.send(Buffer.from([255, 0]));
    await new Promise((resolve) => ws.on('close', resolve));
    const status = JSON.parse(frames.find((f) => f.channel === 3)!.text) as {
      status: string;
      reason: string;
      details: { causes: { reason: string; message: string }[] };
    };
    expect(status.status).toBe('Failure');
    expect(status.reason).toBe('NonZeroExitCode');
    expect(status.details.causes).toEqual([{ reason: 'ExitCode', message: '5' }]);
  });
});
