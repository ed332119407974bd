/**
 * Nodes for a scenario that declares none: `node-1` … `node-N`, spread over three zones,
 * labelled and reporting status as a kubeadm/containerd worker does.
 */
import type { KObject } from '../api/types.ts';
import type { NodeOverride, NodesSpec } from './scenario-schema.ts';

/**
 * Annotation on a Node whose kubelet is down: the simulated kubelet must not run its pods
 * or renew its status, and the node lifecycle controller keeps it NotReady/unreachable.
 */
export const KUBELET_STOPPED_ANNOTATION = 'sim.opsloop.dev/kubelet';

const REGION = 'eu-central-1';
const ZONES = ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'];

export function generateNodes(spec: NodesSpec, createdAt: string): KObject[] {
  const nodes: KObject[] = [];
  for (let i = 1; i <= spec.count; i++) {
    const name = `node-${i}`;
    const zone = ZONES[(i - 1) % ZONES.length] ?? 'eu-central-1a';
    const resources = {
      cpu: spec.cpu,
      memory: spec.memory,
      pods: String(spec.pods),
      'ephemeral-storage': '100Gi',
    };
    const node: KObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'beta.kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/region': REGION,
          'topology.kubernetes.io/zone': zone,
          'node.kubernetes.io/instance-type': 'm6i.xlarge',
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      status: nodeStatus(name, i, resources, createdAt),
    };
    const override = spec.overrides[name];
    nodes.push(override === undefined ? node : applyOverride(node, override, createdAt));
  }
  return nodes;
}

function applyOverride(node: KObject, override: NodeOverride, at: string): KObject {
  const metadata = { ...node.metadata, labels: { ...node.metadata.labels, ...override.labels } };
  const spec = { ...(node.spec as Record<string, unknown>) };
  const taints: { key: string; value?: string; effect: string; timeAdded?: string }[] = [
    ...(override.taints ?? []),
  ];
  if (override.unschedulable === true) {
    spec.unschedulable = true;
    taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: at });
  }
  const status = structuredClone(node.status) as { conditions: Record<string, string>[] };
  if (override.ready === false) {
    metadata.annotations = { ...metadata.annotations, [KUBELET_STOPPED_ANNOTATION]: 'stopped' };
    taints.push(
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at },
    );
    status.conditions = status.conditions.map((c) => ({
      ...c,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    }));
  }
  if (taints.length > 0) spec.taints = taints;
  return { ...node, metadata, spec, status };
}

function condition(type: string, status: string, reason: string, message: string, at: string) {
  return { type, status, reason, message, lastHeartbeatTime: at, lastTransitionTime: at };
}

export function nodeStatus(
  name: string,
  index: number,
  resources: Record<string, string>,
  at: string,
) {
  return {
    capacity: { ...resources },
    allocatable: { ...resources },
    conditions: [
      condition(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
        at,
      ),
      condition(
        'DiskPressure',
        'False',
        'KubeletHasNoDiskPressure',
        'kubelet has no disk pressure',
        at,
      ),
      condition(
        'PIDPressure',
        'False',
        'KubeletHasSufficientPID',
        'kubelet has sufficient PID available',
        at,
      ),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', at),
    ],
    addresses: [
      { type: 'InternalIP', address: `10.0.1.${10 + index}` },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `${index}`.padStart(32, '0'),
      systemUUID: `00000000-0000-0000-0000-${`${index}`.padStart(12, '0')}`,
      bootID: `00000000-0000-0000-0001-${`${index}`.padStart(12, '0')}`,
      kernelVersion: '6.1.0-28-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.7.24',
      kubeletVersion: 'v1.31.4',
      kubeProxyVersion: 'v1.31.4',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}
