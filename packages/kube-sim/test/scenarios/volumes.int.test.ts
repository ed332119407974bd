// Volumes as shared, persistent directories, through the real kubectl: an emptyDir is
// shared by a pod's containers and survives restarts, a PVC's files survive the pod, and
// files written with `kubectl exec` are there at the next exec.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
let sim: KubeSim;
let kubectl: Kubectl;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20 });
  kubectl = new Kubectl(sim);
});
afterAll(async () => {
  await sim.stop();
});

const ready = (pod: string, containers: number) =>
  until(
    async () =>
      (await kubectl.run(['get', 'pod', pod, '--no-headers'])).stdout.includes(
        `${containers}/${containers}`,
      ),
    30_000,
    `${pod} ready`,
  );

describe('an emptyDir', () => {
  it("is shared by the pod's containers, keeps exec writes and survives container restarts", async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: shared}
spec:
  containers:
    - {name: writer, image: busybox:1.36, command: [sh, -c, 'echo hello > /data/greeting; echo boot >> /data/boots; sleep 3600'], volumeMounts: [{name: data, mountPath: /data}]}
    - {name: reader, image: busybox:1.36, command: [sleep, '3600'], volumeMounts: [{name: data, mountPath: /data}]}
  volumes: [{name: data, emptyDir: {}}]
`,
    );
    await ready('shared', 2);
    expect(
      await kubectl.ok(['exec', 'shared', '-c', 'reader', '--', 'cat', '/data/greeting']),
    ).toBe('hello\n');
    await kubectl.ok([
      'exec',
      'shared',
      '-c',
      'reader',
      '--',
      'sh',
      '-c',
      'echo from-exec > /data/note; echo layer > /tmp/own',
    ]);
    expect(await kubectl.ok(['exec', 'shared', '-c', 'writer', '--', 'cat', '/data/note'])).toBe(
      'from-exec\n',
    );
    expect(await kubectl.ok(['exec', 'shared', '-c', 'reader', '--', 'cat', '/tmp/own'])).toBe(
      'layer\n',
    );
    // /tmp is the reader's own layer, not the volume.
    expect(
      (await kubectl.run(['exec', 'shared', '-c', 'writer', '--', 'cat', '/tmp/own'])).code,
    ).not.toBe(0);
    // A restarted writer runs its command again over the same directory.
    await kubectl.ok(['set', 'image', 'pod/shared', 'writer=busybox:1.37']);
    await until(
      async () =>
        (await kubectl.ok(['exec', 'shared', '-c', 'reader', '--', 'cat', '/data/boots'])) ===
        'boot\nboot\n',
      30_000,
      'two boots recorded',
    );
  });
});

describe('a PersistentVolumeClaim', () => {
  it('keeps its files after the pod is deleted, for the next pod that mounts it', async () => {
    const podUsing = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - {name: app, image: busybox:1.36, command: [sh, -c, '${script}'], volumeMounts: [{name: data, mountPath: /var/lib/app}]}
  volumes: [{name: data, persistentVolumeClaim: {claimName: app-data}}]
`;
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: app-data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    );
    await kubectl.ok(
      ['apply', '-f', '-'],
      podUsing('first', 'echo saved > /var/lib/app/state; sleep 3600'),
    );
    await ready('first', 1);
    await kubectl.ok(['delete', 'pod', 'first']);
    await kubectl.ok(['apply', '-f', '-'], podUsing('second', 'sleep 3600'));
    await ready('second', 1);
    expect(await kubectl.ok(['exec', 'second', '--', 'cat', '/var/lib/app/state'])).toBe('saved\n');
  });
});
