/**
 * Defaulting as the API server does it for the built-in kinds that matter to clients and
 * to Opsloop's analyzers. Mutates `object` in place; runs on create and on update.
 */
import type { KObject } from '../api/types.ts';

type Map = Record<string, unknown>;

function obj(parent: Map, key: string): Map {
  const value = parent[key];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Map;
  const created: Map = {};
  parent[key] = created;
  return created;
}

function setDefault(target: Map, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function pullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  const lastPart = image.split('/').pop() ?? image;
  if (image.includes('@')) return 'IfNotPresent';
  if (!lastPart.includes(':') || lastPart.endsWith(':latest')) return 'Always';
  return 'IfNotPresent';
}

function defaultContainer(container: Map): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', pullPolicyFor(container['image']));
  setDefault(container, 'resources', {});
  for (const port of (container['ports'] as Map[] | undefined) ?? [])
    setDefault(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = container[probe] as Map | undefined;
    if (!p) continue;
    setDefault(p, 'timeoutSeconds', 1);
    setDefault(p, 'periodSeconds', 10);
    setDefault(p, 'successThreshold', 1);
    setDefault(p, 'failureThreshold', 3);
    const http = p['httpGet'] as Map | undefined;
    if (http) {
      setDefault(http, 'path', '/');
      setDefault(http, 'scheme', 'HTTP');
    }
  }
}

export function defaultPodSpec(spec: Map, restartPolicy = 'Always'): void {
  setDefault(spec, 'restartPolicy', restartPolicy);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const list of ['containers', 'initContainers']) {
    for (const c of (spec[list] as Map[] | undefined) ?? []) defaultContainer(c);
  }
  if (spec['serviceAccountName'] === undefined && spec['serviceAccount'] === undefined) {
    // Defaulted by the ServiceAccount admission plugin on pods, not in templates.
  }
}

function defaultTemplate(spec: Map, restartPolicy = 'Always'): void {
  const template = obj(spec, 'template');
  obj(template, 'metadata');
  defaultPodSpec(obj(template, 'spec'), restartPolicy);
}

/** Cluster IPs come from 10.96.0.0/16, one counter per cluster (see ClusterState). */
export type IpAllocator = () => string;

export function applyDefaults(object: KObject, allocateIp: IpAllocator): void {
  const spec = (object['spec'] ?? {}) as Map;
  switch (object.kind) {
    case 'Namespace': {
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name!,
      };
      // kubectl create namespace sends `spec: {}` and `status: {}`: default inside them.
      const nsSpec = (object['spec'] ??= {}) as Map;
      setDefault(nsSpec, 'finalizers', ['kubernetes']);
      const nsStatus = (object['status'] ??= {}) as Map;
      setDefault(nsStatus, 'phase', 'Active');
      break;
    }
    case 'Pod':
      object['spec'] = spec;
      defaultPodSpec(spec);
      if (spec['serviceAccountName'] === undefined) spec['serviceAccountName'] = 'default';
      spec['serviceAccount'] ??= spec['serviceAccountName'];
      setDefault(spec, 'enableServiceLinks', true);
      setDefault(spec, 'priority', 0);
      setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
      setDefault(object as Map, 'status', { phase: 'Pending', qosClass: 'BestEffort' });
      break;
    case 'Service': {
      object['spec'] = spec;
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      if (spec['type'] !== 'ExternalName') {
        if (spec['clusterIP'] === undefined || spec['clusterIP'] === '')
          spec['clusterIP'] = allocateIp();
        setDefault(spec, 'clusterIPs', [spec['clusterIP']]);
        setDefault(spec, 'ipFamilies', ['IPv4']);
        setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      }
      for (const port of (spec['ports'] as Map[] | undefined) ?? []) {
        setDefault(port, 'protocol', 'TCP');
        setDefault(port, 'targetPort', port['port']);
      }
      setDefault(object as Map, 'status', { loadBalancer: {} });
      break;
    }
    case 'Deployment': {
      object['spec'] = spec;
      setDefault(spec, 'replicas', 1);
      const strategy = obj(spec, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy['type'] === 'RollingUpdate')
        setDefault(strategy, 'rollingUpdate', { maxUnavailable: '25%', maxSurge: '25%' });
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      defaultTemplate(spec);
      break;
    }
    case 'ReplicaSet':
      object['spec'] = spec;
      setDefault(spec, 'replicas', 1);
      defaultTemplate(spec);
      break;
    case 'StatefulSet': {
      object['spec'] = spec;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      const sts = obj(spec, 'updateStrategy');
      setDefault(sts, 'type', 'RollingUpdate');
      if (sts['type'] === 'RollingUpdate') setDefault(sts, 'rollingUpdate', { partition: 0 });
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec);
      break;
    }
    case 'DaemonSet': {
      object['spec'] = spec;
      const ds = obj(spec, 'updateStrategy');
      setDefault(ds, 'type', 'RollingUpdate');
      if (ds['type'] === 'RollingUpdate')
        setDefault(ds, 'rollingUpdate', { maxUnavailable: 1, maxSurge: 0 });
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultTemplate(spec);
      break;
    }
    case 'Job': {
      object['spec'] = spec;
      const indexed = spec['completionMode'] === 'Indexed';
      setDefault(spec, 'completionMode', 'NonIndexed');
      if (spec['completions'] === undefined && spec['parallelism'] === undefined && !indexed) {
        spec['completions'] = 1;
        spec['parallelism'] = 1;
      }
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'suspend', false);
      defaultTemplate(spec, 'Never');
      break;
    }
    case 'CronJob':
      object['spec'] = spec;
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      break;
    case 'PersistentVolumeClaim':
      object['spec'] = spec;
      setDefault(spec, 'volumeMode', 'Filesystem');
      setDefault(object as Map, 'status', { phase: 'Pending' });
      break;
    case 'Secret':
      setDefault(object as Map, 'type', 'Opaque');
      break;
  }
}
