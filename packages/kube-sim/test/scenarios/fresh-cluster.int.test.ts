// A fresh `startKubeSim()` looks like a fresh kind cluster to the usual first kubectl
// commands: nodes, coredns Running, the default StorageClass, Active namespaces, volume
// protection finalizers, generation only where the API server sets it, retroactive default
// StorageClass, ProvisioningFailed again for a recreated claim.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
let sim: KubeSim;
let kubectl: Kubectl;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50 });
  kubectl = new Kubectl(sim);
});
afterAll(async () => {
  await sim.stop();
});

const rows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/));

const claim = (name: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
${extra}`;

const podUsing = (name: string, claimName: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - {name: app, image: busybox:1.36, command: [sleep, '3600'], volumeMounts: [{name: data, mountPath: /data}]}
  volumes:
    - {name: data, persistentVolumeClaim: {claimName: ${claimName}}}
`;

describe('a fresh cluster', () => {
  it('has a Ready kind node, coredns Running and the default StorageClass standard', async () => {
    expect(
      rows(await kubectl.ok(['get', 'nodes', '--no-headers'])).map((r) => r.slice(0, 3)),
    ).toEqual([['kind-control-plane', 'Ready', 'control-plane']]);
    await until(
      async () => {
        const pods = rows(
          await kubectl.ok([
            'get',
            'pods',
            '-n',
            'kube-system',
            '-l',
            'k8s-app=kube-dns',
            '--no-headers',
          ]),
        );
        return pods.length === 2 && pods.every((p) => p[1] === '1/1' && p[2] === 'Running');
      },
      30_000,
      'coredns Running',
    );
    expect(rows(await kubectl.ok(['get', 'storageclass', '--no-headers']))[0]!.slice(0, 6)).toEqual(
      ['standard', '(default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false'],
    );
  });

  it('creates namespaces Active with the kubernetes finalizer', async () => {
    await kubectl.ok(['create', 'namespace', 'fresh']);
    expect(
      rows(await kubectl.ok(['get', 'namespace', 'fresh', '--no-headers']))[0]!.slice(0, 2),
    ).toEqual(['fresh', 'Active']);
    expect(
      await kubectl.ok(['get', 'namespace', 'fresh', '-o', 'jsonpath={.spec.finalizers}']),
    ).toBe('["kubernetes"]');
  });

  it('sets metadata.generation on workloads only, not on ConfigMaps, Roles, Namespaces or Pods', async () => {
    await kubectl.ok(['create', 'configmap', 'gen-cm', '--from-literal=a=b']);
    await kubectl.ok(['create', 'role', 'gen-role', '--verb=get', '--resource=pods']);
    await kubectl.ok(['create', 'deployment', 'gen-web', '--image=nginx:1.27']);
    const generation = (kind: string, name: string, ns = 'default') =>
      kubectl.ok(['get', kind, name, '-n', ns, '-o', 'jsonpath={.metadata.generation}']);
    expect(await generation('configmap', 'gen-cm')).toBe('');
    expect(await generation('role', 'gen-role')).toBe('');
    expect(await generation('namespace', 'default')).toBe('');
    expect(await generation('deployment', 'gen-web')).toBe('1');
    await kubectl.ok(['scale', 'deployment', 'gen-web', '--replicas=2']);
    expect(await generation('deployment', 'gen-web')).toBe('2');
    const pod = (await kubectl.ok(['get', 'pods', '-l', 'app=gen-web', '-o', 'name'])).split(
      '\n',
    )[0]!;
    expect(await kubectl.ok(['get', pod, '-o', 'jsonpath={.metadata.generation}'])).toBe('');
  });

  it('binds a claim on first consumer with protection finalizers that hold while a pod uses it', async () => {
    await kubectl.ok(['apply', '-f', '-'], claim('data'));
    await until(
      async () => /WaitForFirstConsumer/.test(await kubectl.ok(['describe', 'pvc', 'data'])),
      20_000,
      'the WaitForFirstConsumer event',
    );
    expect(
      await kubectl.ok([
        'get',
        'pvc',
        'data',
        '-o',
        'jsonpath={.status.phase} {.spec.storageClassName} {.metadata.finalizers}',
      ]),
    ).toBe('Pending standard ["kubernetes.io/pvc-protection"]');
    await kubectl.ok(['apply', '-f', '-'], podUsing('user', 'data'));
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/user', '--timeout=60s']);
    const volume = await kubectl.ok(['get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}']);
    expect(await kubectl.ok(['get', 'pv', volume, '-o', 'jsonpath={.metadata.finalizers}'])).toBe(
      '["kubernetes.io/pv-protection"]',
    );
    await kubectl.ok(['delete', 'pvc', 'data', '--wait=false']);
    // In use: Terminating, still there, as on a real cluster.
    expect(rows(await kubectl.ok(['get', 'pvc', 'data', '--no-headers']))[0]![1]).toBe(
      'Terminating',
    );
    await kubectl.ok(['delete', 'pod', 'user', '--wait=false']);
    await until(
      async () => (await kubectl.run(['get', 'pvc', 'data'])).code !== 0,
      30_000,
      'the claim to go',
    );
    await until(
      async () => (await kubectl.run(['get', 'pv', volume])).code !== 0,
      30_000,
      'the volume to go',
    );
  });

  it('reports ProvisioningFailed again for a recreated claim with a missing class', async () => {
    const failures = async () => {
      const uid = await kubectl.ok(['get', 'pvc', 'archive', '-o', 'jsonpath={.metadata.uid}']);
      const out = await kubectl.ok([
        'get',
        'events',
        '--field-selector',
        `involvedObject.uid=${uid},reason=ProvisioningFailed`,
        '-o',
        'jsonpath={.items[*].message}',
      ]);
      return out;
    };
    for (let round = 0; round < 2; round++) {
      await kubectl.ok(['apply', '-f', '-'], claim('archive', '  storageClassName: fast-ssd\n'));
      await until(
        async () => (await failures()).includes('storageclass.storage.k8s.io "fast-ssd" not found'),
        20_000,
        `ProvisioningFailed (round ${round + 1})`,
      );
      await kubectl.ok(['delete', 'pvc', 'archive']);
    }
  });
});

describe('a cluster that gets its default StorageClass later', () => {
  it('gives an unset claim the default class retroactively, and it binds', async () => {
    const bare = await startKubeSim({ speed: 50, defaultStorageClass: false });
    try {
      const k = new Kubectl(bare);
      await k.ok(['apply', '-f', '-'], claim('early'));
      await until(
        async () => /no storage class is set/.test(await k.ok(['describe', 'pvc', 'early'])),
        20_000,
        'FailedBinding',
      );
      expect(await k.ok(['get', 'pvc', 'early', '-o', 'jsonpath={.spec.storageClassName}'])).toBe(
        '',
      );
      await k.ok(
        ['apply', '-f', '-'],
        `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: late, annotations: {storageclass.kubernetes.io/is-default-class: 'true'}}
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
`,
      );
      await until(
        async () =>
          (await k.ok([
            'get',
            'pvc',
            'early',
            '-o',
            'jsonpath={.status.phase} {.spec.storageClassName}',
          ])) === 'Bound late',
        20_000,
        'the claim to bind with the late default',
      );
    } finally {
      await bare.stop();
    }
  });
});
