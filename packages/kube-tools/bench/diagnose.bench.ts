/**
 * Cost of `opsloop diagnose -n <ns>`: API requests and bytes read for one namespace in a
 * cluster of 100 pods and of 5,000 pods (the namespace's own contents identical), and the
 * time to diagnose a namespace of 200 pods. Runs against kube-sim through the real client.
 *
 *   npm run bench            (from packages/kube-tools)
 */
import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { connectCluster, diagnose } from '../src/mod.ts';

function podDoc(ns: string, name: string, app: string, node: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}
spec:
  nodeName: ${node}
  containers:
  - {name: app, image: registry.example.com/${app}:1.0, ports: [{containerPort: 8080}], resources: {requests: {cpu: 50m, memory: 64Mi}}}
`;
}

function namespaceDocs(ns: string, apps: number, podsPerApp: number, nodes: number): string {
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`];
  for (let a = 0; a < apps; a += 1) {
    const app = `app-${a}`;
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}, namespace: ${ns}}
spec:
  replicas: ${podsPerApp}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: app, image: registry.example.com/${app}:1.0}]}
`);
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: ${app}, namespace: ${ns}}
spec: {selector: {app: ${app}}, ports: [{port: 80, targetPort: 8080}]}
`);
    for (let p = 0; p < podsPerApp; p += 1)
      docs.push(podDoc(ns, `${app}-${p}`, app, `node-${(a * podsPerApp + p) % nodes}`));
  }
  return docs.join('---\n');
}

function nodeDocs(count: number): string {
  return Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: Node\nmetadata: {name: node-${i}, labels: {kubernetes.io/hostname: node-${i}}}\nspec: {}\n`,
  ).join('---\n');
}

/** Fill the cluster with other namespaces until it holds `total` pods. */
function fillerDocs(total: number, already: number): string {
  const docs: string[] = [];
  const remaining = total - already;
  const perNs = 100;
  for (let n = 0; n * perNs < remaining; n += 1) {
    const count = Math.min(perNs, remaining - n * perNs);
    docs.push(namespaceDocs(`filler-${n}`, Math.max(1, Math.ceil(count / 10)), 0, 50));
    for (let p = 0; p < count; p += 1)
      docs.push(podDoc(`filler-${n}`, `pod-${p}`, `app-${p % 10}`, `node-${p % 50}`));
  }
  return docs.join('---\n');
}

async function measure(totalPods: number): Promise<{ requests: number; bytes: number }> {
  // API server only: the cost measured is Opsloop's reads, not the simulation's work.
  const sim: KubeSim = await startKubeSim({ controllers: false });
  try {
    sim.loadYaml(nodeDocs(50), 'nodes');
    sim.loadYaml(namespaceDocs('target', 4, 5, 50), 'target');
    sim.loadYaml(fillerDocs(totalPods, 20), 'filler');
    const cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
    await diagnose(cluster, ['target']); // warm-up (TLS session, JIT)
    cluster.resetStats();
    await diagnose(cluster, ['target']);
    const stats = cluster.stats();
    return { requests: stats.requests, bytes: stats.bytesRead };
  } finally {
    await sim.stop();
  }
}

async function timeBigNamespace(runs: number): Promise<number[]> {
  const sim = await startKubeSim({ controllers: false });
  try {
    sim.loadYaml(nodeDocs(20), 'nodes');
    sim.loadYaml(namespaceDocs('big', 10, 20, 20), 'big');
    const cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
    await diagnose(cluster, ['big']);
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      await diagnose(cluster, ['big']);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  } finally {
    await sim.stop();
  }
}

const small = await measure(100);
const large = await measure(5000);
const times = await timeBigNamespace(15);
const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
const row = (cells: string[]) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(44) : c.padStart(12))).join(' | ')} |`;
console.log(row(['diagnose one namespace (20 pods)', 'requests', 'bytes read']));
console.log(row(['-'.repeat(44), '-'.repeat(12), '-'.repeat(12)]));
console.log(row(['cluster of 100 pods', String(small.requests), String(small.bytes)]));
console.log(row(['cluster of 5,000 pods', String(large.requests), String(large.bytes)]));
console.log(
  row([
    'ratio 5,000 / 100 (target ≤ 1.2)',
    (large.requests / small.requests).toFixed(2),
    (large.bytes / small.bytes).toFixed(2),
  ]),
);
console.log('');
console.log(
  `diagnose a 200-pod namespace on kube-sim, ${times.length} runs: p50 ${p(0.5).toFixed(1)} ms, p90 ${p(0.9).toFixed(1)} ms (target p50 < 300 ms)`,
);
const ok =
  large.requests / small.requests <= 1.2 && large.bytes / small.bytes <= 1.2 && p(0.5) < 300;
process.exitCode = ok ? 0 : 1;
