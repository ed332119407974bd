import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { findKind, RESOURCES, type ResourceType } from '../../src/resources.ts';
import { humanDuration, toTable } from '../../src/tables/mod.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function print(
  apiVersion: string,
  kind: string,
  body: Record<string, unknown>,
  meta: Record<string, unknown> = {},
) {
  const resource = findKind(apiVersion, kind) as ResourceType;
  const object: KObject = {
    apiVersion,
    kind,
    metadata: {
      name: 'x',
      namespace: 'shop',
      creationTimestamp: ago(3 * 86400 + 4 * 3600),
      ...meta,
    },
    ...body,
  };
  const table = toTable(resource, [object], { now: NOW });
  const row = table.rows[0]?.cells ?? [];
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name, row[i]]));
}

describe('humanDuration', () => {
  it('formats like kubectl', () => {
    const s = (n: number) => humanDuration(n * 1000);
    expect([s(-5), s(-0.5), s(5), s(119), s(182), s(300), s(600), s(3 * 3600 - 1)]).toEqual([
      '<invalid>',
      '0s',
      '5s',
      '119s',
      '3m2s',
      '5m',
      '10m',
      '179m',
    ]);
    expect([
      s(3 * 3600),
      s(5 * 3600 + 120),
      s(30 * 3600),
      s(51 * 3600),
      s(10 * 86400),
      s(800 * 86400),
      s(9 * 365 * 86400),
    ]).toEqual(['3h', '5h2m', '30h', '2d3h', '10d', '2y70d', '9y']);
  });
});

describe('workload tables', () => {
  const template = {
    spec: {
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'log', image: 'fluent:2' },
      ],
    },
  };

  it('prints deployments with READY x/y and the wide cells', () => {
    expect(
      print('apps/v1', 'Deployment', {
        spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template },
        status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      }),
    ).toEqual({
      Name: 'x',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '3d4h',
      Containers: 'web,log',
      Images: 'nginx:1.27,fluent:2',
      Selector: 'app=web,tier=fe',
    });
  });

  it('prints jobs with status, completions and duration', () => {
    const job = print('batch/v1', 'Job', {
      spec: {
        completions: 3,
        parallelism: 2,
        template,
        selector: { matchExpressions: [{ key: 'job', operator: 'In', values: ['b', 'a'] }] },
      },
      status: { succeeded: 1, startTime: ago(125) },
    });
    expect(job).toMatchObject({
      Status: 'Running',
      Completions: '1/3',
      Duration: '2m5s',
      Selector: 'job in (a,b)',
    });
    const done = print('batch/v1', 'Job', {
      spec: { template },
      status: {
        succeeded: 1,
        startTime: ago(100),
        completionTime: ago(40),
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    });
    expect(done).toMatchObject({ Status: 'Complete', Completions: '1/1', Duration: '60s' });
    expect(
      print('batch/v1', 'Job', { spec: { parallelism: 4, template }, status: {} }),
    ).toMatchObject({ Completions: '0/1 of 4', Duration: '' });
  });

  it('prints cronjobs, daemonsets and HPAs', () => {
    expect(
      print('batch/v1', 'CronJob', {
        spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
        status: { active: [{ name: 'a' }], lastScheduleTime: ago(61) },
      }),
    ).toMatchObject({
      Schedule: '*/5 * * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 1,
      'Last Schedule': '61s',
    });
    expect(
      print('apps/v1', 'DaemonSet', {
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
        },
        status: {
          desiredNumberScheduled: 3,
          currentNumberScheduled: 3,
          numberReady: 2,
          updatedNumberScheduled: 3,
          numberAvailable: 2,
        },
      }),
    ).toMatchObject({ Desired: 3, Ready: 2, 'Node Selector': 'kubernetes.io/os=linux' });
    expect(
      print('autoscaling/v2', 'HorizontalPodAutoscaler', {
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          maxReplicas: 10,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
            },
          ],
        },
        status: {
          currentReplicas: 2,
          currentMetrics: [
            { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } },
          ],
        },
      }),
    ).toMatchObject({
      Reference: 'Deployment/web',
      Targets: 'cpu: 45%/80%',
      MinPods: '<unset>',
      MaxPods: 10,
      Replicas: 2,
    });
  });
});

describe('core tables', () => {
  it('prints service types, ports and external IPs', () => {
    expect(
      print('v1', 'Service', {
        spec: {
          type: 'NodePort',
          clusterIP: '10.96.0.12',
          selector: { app: 'web' },
          ports: [
            { port: 80, nodePort: 30080, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        },
      }),
    ).toMatchObject({
      Type: 'NodePort',
      'Cluster-IP': '10.96.0.12',
      'External-IP': '<none>',
      'Port(s)': '80:30080/TCP,53/UDP',
      Selector: 'app=web',
    });
    expect(
      print('v1', 'Service', {
        spec: { type: 'LoadBalancer', clusterIP: '10.96.0.13', ports: [{ port: 443 }] },
      }),
    ).toMatchObject({
      'External-IP': '<pending>',
      'Port(s)': '443/TCP',
      Selector: '<none>',
    });
    expect(
      print('v1', 'Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }),
    ).toMatchObject({
      'Cluster-IP': '<none>',
      'External-IP': 'db.example.com',
      'Port(s)': '<none>',
    });
  });

  it('prints endpoints with the 3-address limit', () => {
    const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
    expect(
      print('v1', 'Endpoints', { subsets: [{ addresses, ports: [{ port: 8080 }] }] }).Endpoints,
    ).toBe('10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more...');
    expect(print('v1', 'Endpoints', {}).Endpoints).toBe('<none>');
  });

  it('prints nodes with roles and SchedulingDisabled', () => {
    const node = print(
      'v1',
      'Node',
      {
        spec: { unschedulable: true },
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
          nodeInfo: {
            kubeletVersion: 'v1.31.0',
            osImage: 'Debian',
            kernelVersion: '6.1',
            containerRuntimeVersion: 'containerd://1.7',
          },
        },
      },
      {
        namespace: undefined,
        labels: {
          'node-role.kubernetes.io/control-plane': '',
          'node-role.kubernetes.io/worker': '',
        },
      },
    );
    expect(node).toMatchObject({
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane,worker',
      Version: 'v1.31.0',
      'Internal-IP': '172.18.0.2',
      'External-IP': '<none>',
    });
    expect(
      print('v1', 'Node', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })
        .Status,
    ).toBe('NotReady');
  });

  it('prints events as LAST SEEN TYPE REASON OBJECT MESSAGE', () => {
    const event = print('v1', 'Event', {
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container\n',
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' },
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 7,
    });
    expect(event).toMatchObject({
      'Last Seen': '30s',
      Type: 'Warning',
      Reason: 'BackOff',
      Object: 'pod/web-1',
      Message: 'Back-off restarting failed container',
      Subobject: 'spec.containers{web}',
      Source: 'kubelet, node-1',
      'First Seen': '10m',
      Count: 7,
    });
  });

  it('prints config, secrets, quota and claims', () => {
    expect(print('v1', 'ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: '' } }).Data).toBe(
      3,
    );
    expect(print('v1', 'Secret', { type: 'Opaque', data: { password: 'eA==' } })).toMatchObject({
      Type: 'Opaque',
      Data: 1,
    });
    expect(
      print('v1', 'ResourceQuota', {
        status: {
          hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' },
          used: { pods: '3', 'requests.cpu': '500m' },
        },
      }),
    ).toMatchObject({ Request: 'pods: 3/10, requests.cpu: 500m/1', Limit: 'limits.cpu: 0/2' });
    expect(
      print('v1', 'PersistentVolumeClaim', {
        spec: { volumeName: 'pv-1', storageClassName: 'standard' },
        status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
      }),
    ).toMatchObject({
      Status: 'Bound',
      Volume: 'pv-1',
      Capacity: '1Gi',
      'Access Modes': 'RWO',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
    });
  });
});

describe('other tables', () => {
  it('prints Created At for kinds the server has no printer for, and bindings with their role', () => {
    const role = print(
      'rbac.authorization.k8s.io/v1',
      'Role',
      { rules: [] },
      { creationTimestamp: '2026-02-01T10:00:00Z' },
    );
    expect(role).toEqual({ Name: 'x', 'Created At': '2026-02-01T10:00:00Z' });
    expect(
      print('rbac.authorization.k8s.io/v1', 'RoleBinding', {
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'bob' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
        ],
      }),
    ).toMatchObject({
      Role: 'ClusterRole/view',
      Users: 'bob',
      Groups: '',
      ServiceAccounts: 'build/ci',
    });
  });

  it('prints ingresses and default storage classes', () => {
    expect(
      print('networking.k8s.io/v1', 'Ingress', {
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: 'shop.example.com' }],
          tls: [{ hosts: ['shop.example.com'] }],
        },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
      }),
    ).toMatchObject({
      Class: 'nginx',
      Hosts: 'shop.example.com',
      Address: '203.0.113.9',
      Ports: '80, 443',
    });
    expect(
      print(
        'storage.k8s.io/v1',
        'StorageClass',
        { provisioner: 'rancher.io/local-path' },
        {
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
      ),
    ).toMatchObject({
      Name: 'x (default)',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'Immediate',
      AllowVolumeExpansion: false,
    });
  });

  it('gives every served kind at least a Name column', () => {
    for (const resource of RESOURCES) {
      const table = toTable(resource, [], { now: NOW });
      const names = table.columnDefinitions.map((c) => c.name);
      expect(names.includes('Name') || resource.kind === 'Event', `${resource.kind}`).toBe(true);
    }
  });
});
