/**
 * What a fresh kind cluster has besides the API server's own objects: its nodes
 * (`kind-control-plane`, then `kind-worker`, `kind-worker2`, …) and the default StorageClass
 * `standard` (local-path, WaitForFirstConsumer). startKubeSim adds them only where the
 * files and the scenario brought none, so a scenario's own nodes and classes win.
 */
import type { ClusterApi, KObject, UserInfo } from './api/types.ts';
import { findKind } from './resources.ts';
import { nodeStatus } from './sim/scenario-nodes.ts';

export const DEFAULT_STORAGE_CLASS = 'standard';

/** kind's node names for a cluster of `count` nodes (one control plane, the rest workers). */
export function kindNodeNames(count: number): string[] {
  const names = count > 0 ? ['kind-control-plane'] : [];
  for (let i = 1; i < count; i++) names.push(i === 1 ? 'kind-worker' : `kind-worker${i}`);
  return names;
}

export function kindNodes(count: number, createdAt: string): KObject[] {
  return kindNodeNames(count).map((name, i) => {
    const controlPlane = i === 0;
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': 'amd64',
    };
    if (controlPlane) {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    }
    // kind keeps the control-plane taint only when there are workers to run the pods.
    const tainted = controlPlane && count > 1;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels,
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
        },
      },
      spec: {
        podCIDR: `10.244.${i}.0/24`,
        podCIDRs: [`10.244.${i}.0/24`],
        providerID: `kind://docker/kind/${name}`,
        ...(tainted
          ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
          : {}),
      },
      status: nodeStatus(
        name,
        i + 2,
        { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' },
        createdAt,
      ),
    };
  });
}

export function defaultStorageClass(): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: DEFAULT_STORAGE_CLASS,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

const INSTALLER: UserInfo = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:masters', 'system:authenticated'],
};

export interface FreshClusterOptions {
  /** kind nodes to create when the cluster has none (0: none). */
  nodes: number;
  /** Create the default StorageClass when the cluster has none. */
  storageClass: boolean;
}

/** Adds kind's nodes and default StorageClass where the cluster has none of that kind. */
export function addFreshClusterDefaults(
  api: ClusterApi,
  createdAt: string,
  options: FreshClusterOptions,
): void {
  const nodes = findKind('v1', 'Node')!;
  const classes = findKind('storage.k8s.io/v1', 'StorageClass')!;
  if (options.storageClass && api.list(classes, undefined).length === 0) {
    api.create(classes, defaultStorageClass(), { user: INSTALLER });
  }
  if (api.list(nodes, undefined).length > 0) return;
  for (const node of kindNodes(options.nodes, createdAt)) {
    const created = api.create(nodes, node, { user: INSTALLER });
    // Create drops status, as on a real API server; the kubelet then posts it.
    api.update(
      nodes,
      { ...created, status: node.status },
      { user: INSTALLER, subresource: 'status' },
    );
  }
}
