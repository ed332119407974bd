import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKind, startKubeSim, type KObject, type KubeSim } from '@opsloop/kube-sim';
import { DEPLOY_DIR, kubectl } from './kustomize.ts';

export const SERVICE_ACCOUNTS = ['planner', 'executor', 'verifier', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_ACCOUNTS)[number];

export const saUser = (name: string) => `system:serviceaccount:opsloop:${name}`;

export interface DeploySim {
  sim: KubeSim;
  /** The admin kubeconfig, as a file for kubectl. */
  kubeconfigPath: string;
  /** Runs the real kubectl as admin against the sim. */
  kubectl(args: string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * kube-sim with the ImageBehaviors of deploy/'s images, `nodes` kind nodes, and a token
 * for each Opsloop ServiceAccount (as the TokenRequest API would issue one).
 */
export async function startDeploySim(nodes = 3, scenario?: string): Promise<DeploySim> {
  const sim = await startKubeSim({
    port: 0,
    speed: 20,
    ...(scenario === undefined ? { nodes } : { scenario }),
    users: SERVICE_ACCOUNTS.map((name) => ({ token: `token-${name}`, username: saUser(name) })),
  });
  sim.loadYaml(
    readFileSync(join(DEPLOY_DIR, 'test', 'fixtures', 'image-behaviors.yaml'), 'utf8'),
    'image-behaviors.yaml',
  );
  const dir = mkdtempSync(join(tmpdir(), 'opsloop-deploy-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  sim.writeKubeconfig(kubeconfigPath);
  const home = join(dir, 'home');
  return {
    sim,
    kubeconfigPath,
    async kubectl(args, input) {
      const options = input === undefined ? { home } : { home, input };
      return (await kubectl(['--kubeconfig', kubeconfigPath, ...args], options)).stdout;
    },
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function listObjects(sim: KubeSim, apiVersion: string, kind: string, ns?: string) {
  const resource = findKind(apiVersion, kind);
  if (resource === undefined) throw new Error(`kube-sim does not serve ${apiVersion} ${kind}`);
  return sim.api.list(resource, ns);
}

/** Why the namespace's workloads are not all up yet, or null when they are. */
export function notReady(sim: KubeSim, namespace: string): string | null {
  const problems: string[] = [];
  const want = (o: KObject) => Number((o.spec as { replicas?: number }).replicas ?? 1);
  for (const d of listObjects(sim, 'apps/v1', 'Deployment', namespace)) {
    const available = Number((d.status as { availableReplicas?: number })?.availableReplicas ?? 0);
    if (available < want(d))
      problems.push(`deployment ${d.metadata.name}: ${available}/${want(d)} available`);
  }
  for (const s of listObjects(sim, 'apps/v1', 'StatefulSet', namespace)) {
    const ready = Number((s.status as { readyReplicas?: number })?.readyReplicas ?? 0);
    if (ready < want(s)) problems.push(`statefulset ${s.metadata.name}: ${ready}/${want(s)} ready`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}

/** Container states of the namespace's pods, for failure messages. */
export function podReport(sim: KubeSim, namespace: string): string {
  return listObjects(sim, 'v1', 'Pod', namespace)
    .map((p) => {
      const status = p.status as {
        phase?: string;
        containerStatuses?: { name: string; ready: boolean; restartCount: number; state: object }[];
        conditions?: { type: string; status: string; message?: string }[];
      };
      const containers = (status?.containerStatuses ?? [])
        .map(
          (c) => `${c.name} ready=${c.ready} restarts=${c.restartCount} ${JSON.stringify(c.state)}`,
        )
        .join(', ');
      const unscheduled = status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status !== 'True',
      );
      return `${p.metadata.name} ${status?.phase} ${containers}${unscheduled ? ` ${unscheduled.message}` : ''}`;
    })
    .join('\n');
}

export async function waitFor(check: () => string | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = check();
  while (last !== null) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = check();
  }
}

export function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'opsloop-deploy-')), name);
  writeFileSync(path, text);
  return path;
}
