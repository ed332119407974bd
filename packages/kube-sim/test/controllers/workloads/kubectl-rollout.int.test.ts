// The workload controllers behind the real HTTP API, driven by the real kubectl and
// @kubernetes/client-node: rollout status/history/undo/restart, kubectl wait on conditions,
// quota and resize refusals, and PDB-guarded evictions.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../src/clock/clock.ts';
import { startWorkloadControllers } from '../../../src/controllers/workloads/mod.ts';
import { startKubeSim, type KubeSim } from '../../../src/mod.ts';
import { Kubectl, until } from '../../helpers/kubectl.ts';
import { drivePods } from './harness.ts';

let sim: KubeSim;
const stops: (() => void)[] = [];

beforeAll(async () => {
  // Workload controllers with a stand-in kubelet (drivePods): the built-in cluster stays off.
  sim = await startKubeSim({ port: 0, controllers: false });
  const clock = createClock(100);
  stops.push(startWorkloadControllers(sim.api, clock), drivePods(sim.api, clock), () =>
    clock.stopAll(),
  );
  await new Kubectl(sim).ok(
    ['create', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }),
  );
});
afterAll(async () => {
  for (const stop of stops) stop();
  await sim.stop();
});

const deploymentYaml = (ns: string, image: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  ${extra}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: ${image}}]
`;

describe('workload controllers through kubectl', { timeout: 60_000 }, () => {
  it('rollout status, history, undo --to-revision and restart', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'roll']);
    await k.ok(['apply', '-f', '-'], deploymentYaml('roll', 'web:1'));
    expect(
      await k.ok(['rollout', 'status', 'deployment/web', '-n', 'roll', '--timeout=20s']),
    ).toContain('deployment "web" successfully rolled out');
    await k.ok(['set', 'image', 'deployment/web', 'app=web:2', '-n', 'roll']);
    expect(
      await k.ok(['rollout', 'status', 'deployment/web', '-n', 'roll', '--timeout=20s']),
    ).toContain('successfully rolled out');

    const history = await k.ok(['rollout', 'history', 'deployment/web', '-n', 'roll']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(
      await k.ok(['rollout', 'history', 'deployment/web', '-n', 'roll', '--revision=1']),
    ).toContain('web:1');

    await k.ok(['rollout', 'undo', 'deployment/web', '-n', 'roll', '--to-revision=1']);
    await k.ok(['rollout', 'status', 'deployment/web', '-n', 'roll', '--timeout=20s']);
    expect(
      await k.ok([
        'get',
        'deploy',
        'web',
        '-n',
        'roll',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('web:1');
    // The old ReplicaSet is promoted and takes the next revision.
    expect(
      await k.ok([
        'get',
        'deploy',
        'web',
        '-n',
        'roll',
        '-o',
        'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      ]),
    ).toBe('3');
    expect(await k.ok(['get', 'rs', '-n', 'roll', '--no-headers'])).toMatch(
      /^web-\S+\s+3\s+3\s+3\s/m,
    );

    const podsBefore = await k.ok(['get', 'pods', '-n', 'roll', '-o', 'name']);
    await k.ok(['rollout', 'restart', 'deployment/web', '-n', 'roll']);
    await k.ok(['rollout', 'status', 'deployment/web', '-n', 'roll', '--timeout=20s']);
    await until(
      async () => {
        const now = (await k.ok(['get', 'pods', '-n', 'roll', '-o', 'name'])).trim().split('\n');
        return now.length === 3 && now.every((p) => !podsBefore.includes(p));
      },
      20_000,
      'restart to replace every pod',
    );
    expect(await k.ok(['rollout', 'history', 'deployment/web', '-n', 'roll'])).toMatch(
      /\n4\s+<none>/,
    );
  });

  it('kubectl wait on Available, and rollout status failing on the progress deadline', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'waits']);
    await k.ok(['apply', '-f', '-'], deploymentYaml('waits', 'web:1'));
    expect(
      await k.ok([
        'wait',
        '--for=condition=Available',
        'deployment/web',
        '-n',
        'waits',
        '--timeout=20s',
      ]),
    ).toContain('condition met');

    await k.ok(['create', 'namespace', 'stuck']);
    await k.ok(
      ['apply', '-f', '-'],
      deploymentYaml('stuck', 'web:never-ready', 'progressDeadlineSeconds: 30'),
    );
    expect(
      await k.ok([
        'wait',
        '--for=condition=Available=False',
        'deployment/web',
        '-n',
        'stuck',
        '--timeout=20s',
      ]),
    ).toContain('condition met');
    const status = await k.run([
      'rollout',
      'status',
      'deployment/web',
      '-n',
      'stuck',
      '--timeout=20s',
    ]);
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('deployment "web" exceeded its progress deadline');
  });

  it('quota refusals and the claim resize refusal reach kubectl with the real messages', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'quota']);
    await k.ok(['create', 'quota', 'compute-quota', '-n', 'quota', '--hard=pods=2,requests.cpu=1']);
    const direct = await k.run([
      'run',
      'big',
      '-n',
      'quota',
      '--image=web:1',
      '--overrides={"spec":{"containers":[{"name":"big","image":"web:1","resources":{"requests":{"cpu":"2"}}}]}}',
    ]);
    expect(direct.stderr).toContain(
      'pods "big" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1',
    );
    const noRequest = await k.run(['run', 'bare', '-n', 'quota', '--image=web:1']);
    expect(noRequest.stderr).toContain(
      'pods "bare" is forbidden: failed quota: compute-quota: must specify requests.cpu for: bare',
    );

    await k.ok(
      ['apply', '-f', '-'],
      `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fixed}
provisioner: kube-sim.io/hostpath
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: quota}
spec: {storageClassName: fixed, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    );
    await until(
      async () =>
        (await k.ok(['get', 'pvc', 'data', '-n', 'quota', '-o', 'jsonpath={.status.phase}'])) ===
        'Bound',
      10_000,
      'claim bound',
    );
    const resize = await k.run([
      'patch',
      'pvc',
      'data',
      '-n',
      'quota',
      '-p',
      '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}',
    ]);
    expect(resize.code).not.toBe(0);
    expect(resize.stderr).toContain(
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
  });

  it('an eviction that would break a PodDisruptionBudget answers 429', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'pdb']);
    await k.ok(['apply', '-f', '-'], deploymentYaml('pdb', 'web:1'));
    await k.ok([
      'create',
      'pdb',
      'web-pdb',
      '-n',
      'pdb',
      '--selector=app=web',
      '--min-available=3',
    ]);
    await k.ok(['rollout', 'status', 'deployment/web', '-n', 'pdb', '--timeout=20s']);
    await until(
      async () =>
        (await k.ok([
          'get',
          'pdb',
          'web-pdb',
          '-n',
          'pdb',
          '-o',
          'jsonpath={.status.currentHealthy}',
        ])) === '3',
      10_000,
      'pdb status',
    );
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    const pod = (await core.listNamespacedPod({ namespace: 'pdb' })).items[0]!;
    const error = await core
      .createNamespacedPodEviction({
        name: pod.metadata!.name!,
        namespace: 'pdb',
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.metadata!.name!, namespace: 'pdb' },
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: 429 });
    expect(String((error as { body?: unknown }).body)).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(await k.ok(['get', 'pdb', 'web-pdb', '-n', 'pdb', '--no-headers'])).toMatch(
      /^web-pdb\s+3\s+N\/A\s+0\s/,
    );
  });

  it('rollout status and history for StatefulSets and DaemonSets', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'sets']);
    await k.ok(
      ['apply', '-f', '-'],
      `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: sets}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: app, image: db:1}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: sets}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: app, image: agent:1}]}
`,
    );
    expect(
      await k.ok(['rollout', 'status', 'statefulset/db', '-n', 'sets', '--timeout=20s']),
    ).toContain('partitioned roll out complete: 2 new pods have been updated...');
    expect(
      await k.ok(['rollout', 'status', 'daemonset/agent', '-n', 'sets', '--timeout=20s']),
    ).toContain('daemon set "agent" successfully rolled out');
    await k.ok(['set', 'image', 'statefulset/db', 'app=db:2', '-n', 'sets']);
    await k.ok(['rollout', 'status', 'statefulset/db', '-n', 'sets', '--timeout=20s']);
    expect(
      await k.ok([
        'get',
        'pods',
        '-n',
        'sets',
        '-l',
        'app=db',
        '-o',
        'jsonpath={.items[*].spec.containers[0].image}',
      ]),
    ).toBe('db:2 db:2');
    expect(await k.ok(['rollout', 'history', 'statefulset/db', '-n', 'sets'])).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );
  });
});
