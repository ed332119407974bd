// Scheduling, storage, quota and autoscaling faults of the scenario library: symptoms as a
// real cluster reports them (through @kubernetes/client-node), then the documented fix.
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { app, runScenario, type ScenarioRun } from './harness.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

async function scenario(name: string, body: (run: ScenarioRun) => Promise<void>): Promise<void> {
  const run = await runScenario(name);
  try {
    await body(run);
  } finally {
    await run.stop();
  }
}

const unschedulable = (pod: V1Pod) =>
  pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');

async function pendingWith(run: ScenarioRun, workload: string, message: string): Promise<V1Pod> {
  const pod = await run.waitFor(`a Pending ${workload} pod`, async () =>
    (await run.pods(app(workload))).find((p) => unschedulable(p)),
  );
  expect(pod.status?.phase).toBe('Pending');
  expect(unschedulable(pod)).toMatchObject({ reason: 'Unschedulable', message });
  await run.event(
    'FailedScheduling',
    new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
  return pod;
}

function patchDeployment(run: ScenarioRun, name: string, ops: unknown[]) {
  return run.apps.patchNamespacedDeployment(
    { name, namespace: run.namespace, body: ops },
    jsonPatch,
  );
}

describe('scheduling faults', () => {
  it('insufficient-cpu: Insufficient cpu on every node; right-sizing the request fixes it', () =>
    scenario('insufficient-cpu', async (run) => {
      await pendingWith(
        run,
        'forecast-model',
        '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      );
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'set',
        'resources',
        'deployment/forecast-model',
        '-c',
        'model',
        '--requests=cpu=1500m',
        '--limits=cpu=2',
      ]);
      await run.solved();
    }));

  it('nodeselector-no-match: no node matches; selecting the real label value fixes it', () =>
    scenario('nodeselector-no-match', async (run) => {
      await pendingWith(
        run,
        'feature-store',
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      await run.apps.patchNamespacedDeployment(
        {
          name: 'feature-store',
          namespace: run.namespace,
          body: {
            spec: { template: { spec: { nodeSelector: { 'workload-tier': 'memory-optimized' } } } },
          },
        },
        merge,
      );
      await run.solved();
      const pod = (await run.pods(app('feature-store'))).find((p) => p.status?.phase === 'Running');
      expect(pod?.spec?.nodeName).toBe('node-3');
    }));

  it('untolerated-taint: the GPU taint is untolerated; adding the toleration fixes it', () =>
    scenario('untolerated-taint', async (run) => {
      await pendingWith(
        run,
        'image-tagger',
        "0/3 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      await patchDeployment(run, 'image-tagger', [
        {
          op: 'add',
          path: '/spec/template/spec/tolerations',
          value: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
      ]);
      await run.solved();
    }));

  it('anti-affinity-too-few-nodes: the fourth replica cannot be placed; scaling to three fixes it', () =>
    scenario('anti-affinity-too-few-nodes', async (run) => {
      await pendingWith(
        run,
        'session-store',
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
      );
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'scale',
        'deployment/session-store',
        '--replicas=3',
      ]);
      await run.solved();
    }));

  it('notready-node: the only matching node is NotReady; labelling its replacement fixes it', () =>
    scenario('notready-node', async (run) => {
      const node = await run.core.readNode({ name: 'node-2' });
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/unreachable:NoSchedule',
        'node.kubernetes.io/unreachable:NoExecute',
      ]);
      await pendingWith(
        run,
        'edge-cache',
        "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      await run.kubectl.ok(['label', 'node', 'node-3', 'cache-tier=local-nvme']);
      await run.kubectl.ok(['cordon', 'node-2']);
      await run.solved();
    }));

  it('pvc-missing-storageclass: ProvisioningFailed and unbound claim; recreating the claim with an existing class fixes it', () =>
    scenario('pvc-missing-storageclass', async (run) => {
      await run.event(
        'ProvisioningFailed',
        /^storageclass\.storage\.k8s\.io "fast-ssd" not found$/,
      );
      await pendingWith(
        run,
        'report-archiver',
        '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      );
      const claim = await run.core.readNamespacedPersistentVolumeClaim({
        name: 'report-archive',
        namespace: run.namespace,
      });
      expect(claim.status?.phase).toBe('Pending');
      await run.core.deleteNamespacedPersistentVolumeClaim({
        name: 'report-archive',
        namespace: run.namespace,
      });
      await run.waitFor(
        'the old claim gone',
        async () =>
          (await run.core.listNamespacedPersistentVolumeClaim({ namespace: run.namespace })).items
            .length === 0,
      );
      await run.core.createNamespacedPersistentVolumeClaim({
        namespace: run.namespace,
        body: {
          metadata: { name: 'report-archive', labels: claim.metadata?.labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'premium-rwo',
            resources: { requests: { storage: '20Gi' } },
          },
        },
      });
      await run.solved();
    }));
});

describe('quota and autoscaling faults', () => {
  it('resourcequota-exceeded: FailedCreate with the quota message; right-sizing requests fixes it', () =>
    scenario('resourcequota-exceeded', async (run) => {
      await run.event(
        'FailedCreate',
        /^Error creating: pods "dashboard-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: analytics-quota, requested: requests\.cpu=1500m, used: requests\.cpu=3500m, limited: requests\.cpu=4$/,
      );
      const deployment = await run.waitFor('ReplicaFailure', async () => {
        const d = await run.apps.readNamespacedDeployment({
          name: 'dashboard',
          namespace: run.namespace,
        });
        return (
          d.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True') && d
        );
      });
      expect(deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure')?.reason).toBe(
        'FailedCreate',
      );
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'set',
        'resources',
        'deployment/dashboard',
        '-c',
        'dashboard',
        '--requests=cpu=250m',
      ]);
      await run.solved();
    }));

  it('quota-requires-limits: every pod is rejected for missing limits; adding limits fixes it', () =>
    scenario('quota-requires-limits', async (run) => {
      await run.event(
        'FailedCreate',
        /^Error creating: pods "model-api-[a-z0-9]+-[a-z0-9]{5}" is forbidden: failed quota: ml-quota: must specify limits\.cpu/,
      );
      expect(
        (await run.pods(app('model-api'))).map(
          (p) => `${p.metadata?.name} ${p.metadata?.creationTimestamp?.toISOString()}`,
        ),
      ).toEqual([]);
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'set',
        'resources',
        'deployment/model-api',
        '-c',
        'model-api',
        '--limits=cpu=1,memory=1Gi',
      ]);
      await run.solved();
    }));

  it('hpa-without-cpu-requests: FailedGetResourceMetric for the missing request; a CPU request fixes it', () =>
    scenario('hpa-without-cpu-requests', async (run) => {
      await run.event(
        'FailedGetResourceMetric',
        /^failed to get cpu utilization: missing request for cpu in container recommender of Pod recommendation-api-/,
      );
      const hpa = await run.waitFor('ScalingActive=False', async () => {
        const h = await run.autoscaling.readNamespacedHorizontalPodAutoscaler({
          name: 'recommendation-api',
          namespace: run.namespace,
        });
        return (
          h.status?.conditions?.some((c) => c.type === 'ScalingActive' && c.status === 'False') && h
        );
      });
      expect(hpa.status?.conditions?.find((c) => c.type === 'ScalingActive')?.reason).toBe(
        'FailedGetResourceMetric',
      );
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'set',
        'resources',
        'deployment/recommendation-api',
        '-c',
        'recommender',
        '--requests=cpu=200m',
      ]);
      await run.solved(40_000);
    }));
});
