/**
 * metrics.k8s.io/v1beta1 objects (what metrics-server serves and `kubectl top` reads),
 * built from the simulated usage. Nodes add a fixed system baseline (kubelet, runtime,
 * OS) on top of their pods, as a real node's working set never reads zero.
 */
import type { KObject } from '../../api/types.ts';
import type { PodUsage } from './mod.ts';
import { formatMemory } from '../../quantity.ts';

export const NODE_BASELINE = { cpuMilli: 80, memoryBytes: 600 * 1024 * 1024 };

const cpu = (milli: number) => `${Math.round(milli * 1_000_000)}n`;

export function podMetrics(pod: KObject, usage: PodUsage, timestamp: string): KObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: timestamp,
      labels: pod.metadata.labels ?? {},
    },
    timestamp,
    window: '15s',
    containers: usage.containers.map((c) => ({
      name: c.name,
      usage: { cpu: cpu(c.cpuMilli), memory: formatMemory(c.memoryBytes) },
    })),
  };
}

export function nodeMetrics(
  node: KObject,
  usage: { cpuMilli: number; memoryBytes: number },
  timestamp: string,
): KObject {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: {
      name: node.metadata.name,
      creationTimestamp: timestamp,
      labels: node.metadata.labels ?? {},
    },
    timestamp,
    window: '20s',
    usage: {
      cpu: cpu(usage.cpuMilli + NODE_BASELINE.cpuMilli),
      memory: formatMemory(usage.memoryBytes + NODE_BASELINE.memoryBytes),
    },
  };
}
