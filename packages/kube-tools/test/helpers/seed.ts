import type { Cluster, KubeObject } from '../../src/mod.ts';
import { create, setStatus } from './sim.ts';

export const NS = 'shop';

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'app',
        image,
        ports: [{ name: 'http', containerPort: 8080 }],
        env: [{ name: 'LOG_LEVEL', value: 'info' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
        volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
      },
    ],
    volumes: [
      {
        name: 'config',
        configMap: { name: 'web-config', items: [{ key: 'web.conf', path: 'web.conf' }] },
      },
    ],
  },
});

/** The objects every action test works on, created through the API (no controllers run). */
export async function seedShop(cluster: Cluster): Promise<Record<string, KubeObject>> {
  await create(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  // ConfigMaps SetConfigMapVolume may switch between (web-config-old lacks the mounted key).
  for (const [name, key] of [
    ['web-config', 'web.conf'],
    ['web-config-v2', 'web.conf'],
    ['web-config-old', 'legacy.conf'],
  ] as const)
    await create(cluster, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: NS },
      data: { [key]: 'listen 8080\n' },
    });
  // A registry secret SetImagePullSecrets may reference, and an Opaque one it must refuse.
  await create(cluster, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'registry-pull', namespace: NS },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
  });
  await create(cluster, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'app-settings', namespace: NS },
    type: 'Opaque',
    data: { token: Buffer.from('not-a-registry-credential').toString('base64') },
  });
  const deployment = await create(cluster, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: NS,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: template('registry.example.com/shop/web:1.27'),
    },
  });
  const owner = (kind: string, o: KubeObject) => [
    {
      apiVersion: o.apiVersion!,
      kind,
      name: o.metadata.name,
      uid: o.metadata.uid!,
      controller: true,
    },
  ];
  const rs = async (name: string, revision: string, image: string, replicas: number) =>
    create(cluster, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: NS,
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: owner('Deployment', deployment),
        labels: { app: 'web', 'pod-template-hash': name.slice(-5) },
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': name.slice(-5) } },
        template: {
          ...template(image),
          metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(-5) } },
        },
      },
    });
  await rs('web-aaaa1', '1', 'registry.example.com/shop/web:1.26', 0);
  const current = await rs('web-bbbb2', '2', 'registry.example.com/shop/web:1.27', 2);
  await create(cluster, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: NS },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  await create(cluster, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-policy', namespace: NS },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [] },
  });
  await create(cluster, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'compute', namespace: NS },
    spec: { hard: { pods: '10', 'requests.cpu': '2' } },
  });
  const node = await create(cluster, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: {},
  });
  await create(cluster, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: NS },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'busybox:1.36' }] },
          },
        },
      },
    },
  });
  const job = await create(cluster, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: NS },
    spec: {
      backoffLimit: 1,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:3' }],
        },
      },
    },
  });
  const now = new Date().toISOString();
  await setStatus(cluster, job, {
    failed: 2,
    conditions: [
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastTransitionTime: now,
        lastProbeTime: now,
      },
    ],
  });
  const pod = await create(cluster, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-bbbb2-x1',
      namespace: NS,
      labels: { app: 'web', 'pod-template-hash': 'bbbb2' },
      ownerReferences: owner('ReplicaSet', current),
    },
    spec: {
      nodeName: 'node-1',
      containers: template('registry.example.com/shop/web:1.27').spec.containers,
    },
  });
  await create(cluster, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bare', namespace: NS },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
  });
  return { deployment, node, job, pod };
}
