/**
 * Cluster DNS as kubeadm installs it: the kube-dns Service (10.96.0.10, 53/UDP, 53/TCP,
 * 9153/TCP) and the coredns Deployment (2 replicas, k8s-app=kube-dns) in kube-system.
 * Created at start when absent, so pods resolve Service names only while CoreDNS runs and
 * their egress policies let them reach it.
 */
import type { ClusterApi, KObject, UserInfo } from '../../api/types.ts';
import { RESOURCES } from '../../resources.ts';
import { DNS_SERVICE_IP } from './network/network.ts';

const find = (group: string, kind: string) =>
  RESOURCES.find((r) => r.group === group && r.kind === kind)!;
const BOOTSTRAP: UserInfo = {
  username: 'system:admin',
  groups: ['system:masters', 'system:authenticated'],
};

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

export function ensureClusterDns(api: ClusterApi): void {
  const service = find('', 'Service');
  const deployment = find('apps', 'Deployment');
  const labels = { 'k8s-app': 'kube-dns' };
  const create = (resource: typeof service, object: KObject) => {
    if (api.get(resource, 'kube-system', object.metadata.name!)) return;
    try {
      api.create(resource, object, { user: BOOTSTRAP });
    } catch {
      // A scenario that defines its own DNS (or a quota) wins.
    }
  };
  create(service, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' },
    },
    spec: {
      clusterIP: DNS_SERVICE_IP,
      selector: labels,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  create(deployment, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: 'system-cluster-critical',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
            },
          ],
        },
      },
    },
  });
}
