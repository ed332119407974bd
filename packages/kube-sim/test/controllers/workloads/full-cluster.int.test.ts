// The workload controllers together with the real node side (scheduler, kubelets running
// catalog images), as startKubeSim runs them: rollouts of real image behaviour, an
// image that cannot be pulled stalling a rollout past its deadline, Endpoints following
// readiness, and an HPA reading the kubelets' simulated usage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../../../src/mod.ts';
import { Kubectl, until } from '../../helpers/kubectl.ts';

let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ port: 0, speed: 50, nodes: 0 });
  await new Kubectl(sim).ok(
    ['apply', '-f', '-'],
    `
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {kubernetes.io/hostname: node-1}}
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
`,
  );
});
afterAll(async () => {
  await sim.stop();
});

const app = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        ports: [{name: http, containerPort: 80}]
        resources: {requests: {cpu: 100m}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 4
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
`;

describe('workload controllers on the simulated nodes', { timeout: 60_000 }, () => {
  it('rolls out, serves through Endpoints, autoscales from usage and stalls on an unpullable image', async () => {
    const k = new Kubectl(sim);
    await k.ok(['create', 'namespace', 'shop']);
    await k.ok(['apply', '-f', '-'], app);
    expect(
      await k.ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s']),
    ).toContain('successfully rolled out');
    await until(
      async () =>
        (
          await k.ok([
            'get',
            'endpoints',
            'web',
            '-n',
            'shop',
            '-o',
            'jsonpath={.subsets[0].addresses[*].ip}',
          ])
        ).split(' ').length === 2,
      10_000,
      'two ready endpoints',
    );
    expect(
      await k.ok([
        'get',
        'endpoints',
        'web',
        '-n',
        'shop',
        '-o',
        'jsonpath={.subsets[0].ports[0].port}',
      ]),
    ).toBe('80');

    await until(
      async () =>
        (await k.ok([
          'get',
          'hpa',
          'web',
          '-n',
          'shop',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="ScalingActive")].reason}',
        ])) === 'ValidMetricFound',
      15_000,
      'HPA metrics',
    );
    const utilization = Number(
      await k.ok([
        'get',
        'hpa',
        'web',
        '-n',
        'shop',
        '-o',
        'jsonpath={.status.currentMetrics[0].resource.current.averageUtilization}',
      ]),
    );
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThan(50);

    await k.ok(['set', 'image', 'deployment/web', 'app=nginx:invalid-tag', '-n', 'shop']);
    const stalled = await k.run([
      'rollout',
      'status',
      'deployment/web',
      '-n',
      'shop',
      '--timeout=30s',
    ]);
    expect(stalled.code).not.toBe(0);
    expect(stalled.stderr).toContain('deployment "web" exceeded its progress deadline');
    // maxUnavailable rounds down to 0 of 2: both old pods keep serving.
    expect(
      await k.ok([
        'get',
        'deploy',
        'web',
        '-n',
        'shop',
        '-o',
        'jsonpath={.status.availableReplicas}',
      ]),
    ).toBe('2');
    const pods = await k.ok(['get', 'pods', '-n', 'shop', '--no-headers']);
    expect(pods).toMatch(/(ErrImagePull|ImagePullBackOff)/);

    await k.ok(['rollout', 'undo', 'deployment/web', '-n', 'shop']);
    expect(
      await k.ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=30s']),
    ).toContain('successfully rolled out');
  });
});
