/** Objects every cluster starts with: system namespaces, the kubernetes service, RBAC defaults. */
import type { Cluster } from './api/cluster.ts';
import type { KObject, UserInfo } from './api/types.ts';
import { bootstrapRbacObjects } from './rbac/mod.ts';
import { findKind } from './resources.ts';

const SYSTEM: UserInfo = {
  username: 'system:apiserver',
  groups: ['system:masters', 'system:authenticated'],
};

function namespace(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function bootstrapCluster(cluster: Cluster): void {
  const objects: KObject[] = [
    ...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map(namespace),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    },
    ...bootstrapRbacObjects(),
  ];
  for (const object of objects) {
    const resource = findKind(object.apiVersion, object.kind);
    if (!resource) throw new Error(`bootstrap: unknown kind ${object.kind}`);
    if (cluster.get(resource, object.metadata.namespace, object.metadata.name!)) continue;
    cluster.create(resource, object, { user: SYSTEM });
  }
}
