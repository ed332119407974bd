// Child process of the benchmark: a kube-sim holding 5,000 pods in 50 namespaces on 500
// nodes. Prints {"url","token"} on stdout once ready; runs until killed.
import { startKubeSim } from '../src/mod.ts';
import { findResource } from '../src/resources.ts';

const NAMESPACES = 50;
const PODS = 5000;
const NODES = 500;
const user = { username: 'bench', groups: ['system:masters'] };
// The API server alone: the benchmark measures serving lists and watches, and a kubelet
// simulating 5,000 pods would only add noise to it.
const sim = await startKubeSim({
  port: 0,
  controllers: false,
  users: [{ token: 'bench-token', username: 'bench', groups: ['system:masters'] }],
});
const api = sim.api;
const ns = findResource('', 'v1', 'namespaces')!;
const nodes = findResource('', 'v1', 'nodes')!;
const pods = findResource('', 'v1', 'pods')!;
for (let i = 0; i < NODES; i++)
  api.create(
    nodes,
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } },
      spec: {},
    },
    { user },
  );
for (let i = 0; i < NAMESPACES; i++)
  api.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } }, { user });
for (let i = 0; i < PODS; i++) {
  const namespace = `ns-${i % NAMESPACES}`;
  const pod = api.create(
    pods,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `pod-${i}`,
        namespace,
        labels: { app: `app-${i % 20}`, 'pod-template-hash': 'abc123' },
      },
      spec: {
        nodeName: `node-${i % NODES}`,
        containers: [
          {
            name: 'app',
            image: `registry.example.com/app-${i % 20}:1.${i % 7}`,
            ports: [{ containerPort: 8080 }],
            env: [{ name: 'MODE', value: 'prod' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
    },
    { user },
  );
  api.update(
    pods,
    {
      ...pod,
      status: {
        phase: 'Running',
        podIP: `10.244.${Math.floor(i / 250)}.${i % 250}`,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    { user, subresource: 'status' },
  );
}
process.stdout.write(JSON.stringify({ url: sim.url, token: 'bench-token' }) + '\n');
process.on('SIGTERM', () => process.exit(0));
