import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import { connectCluster } from '../../src/mod.ts';
import type { Cluster, KubeObject } from '../../src/mod.ts';
import { objectPath } from '../../src/kinds.ts';

export interface SimEnv {
  sim: KubeSim;
  cluster: Cluster;
  stop(): Promise<void>;
}

/** A bare kube-sim (API server, no controllers) and a client that reaches it only by kubeconfig. */
export async function startSimEnv(): Promise<SimEnv> {
  // The API server alone: nothing reconciles, so tests control every object and status.
  const sim = await startKubeSim({ controllers: false });
  const cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  return { sim, cluster, stop: () => sim.stop() };
}

export async function create(cluster: Cluster, obj: KubeObject): Promise<KubeObject> {
  return cluster.create(obj.kind!, obj.metadata.namespace ?? null, obj);
}

/** Write status through the status subresource, as a controller would. */
export async function setStatus(
  cluster: Cluster,
  obj: KubeObject,
  status: unknown,
): Promise<KubeObject> {
  return cluster.request<KubeObject>(
    'PATCH',
    `${objectPath(obj.kind!, obj.metadata.namespace ?? null, obj.metadata.name)}/status`,
    {
      body: { status },
      contentType: 'application/merge-patch+json',
    },
  );
}

/** Audit entries of writes (not dry runs) by Opsloop's executor. */
export function executorWrites(sim: KubeSim): unknown[] {
  return sim.audit
    .entries()
    .filter(
      (e) =>
        ['create', 'update', 'patch', 'delete'].includes(e.verb) &&
        !e.dryRun &&
        e.fieldManager === 'opsloop-executor',
    );
}

export function allWrites(
  sim: KubeSim,
): { verb: string; resource?: string; name?: string; dryRun?: boolean }[] {
  return sim.audit
    .entries()
    .filter(
      (e) =>
        ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb) && !e.dryRun,
    ) as never;
}
