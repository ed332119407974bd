/**
 * A kube-sim (controllers included) running at high --speed, reached through
 * @kubernetes/client-node and the real kubectl, for the node-side integration tests.
 */
import { CoreV1Api, KubeConfig, type CoreV1Event, type V1Pod } from '@kubernetes/client-node';
import type { Controllers } from '../../../src/controllers/mod.ts';
import { imageBehaviorsFor } from '../../../src/sim/image-registry.ts';
import { startKubeSim, type KubeSim } from '../../../src/mod.ts';
import type { ImageBehavior } from '../../../src/sim/image-behavior.ts';
import { Kubectl, until } from '../../helpers/kubectl.ts';
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../../../src/api/types.ts';
import { RESOURCES } from '../../../src/resources.ts';

const NODE = RESOURCES.find((r) => r.group === '' && r.kind === 'Node')!;
const ADMIN = { username: 'admin', groups: ['system:masters'] };

export interface TestCluster {
  sim: KubeSim;
  controllers: Controllers;
  core: CoreV1Api;
  kubectl: Kubectl;
  apply(yaml: string): Promise<void>;
  pod(namespace: string, name: string): Promise<V1Pod | undefined>;
  events(namespace: string, involved?: string): Promise<CoreV1Event[]>;
  /** Polls until `check` returns a value (not undefined/false), or fails naming `what`. */
  waitFor<T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs?: number,
  ): Promise<T>;
  stop(): Promise<void>;
}

export const NODES = `
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {disk: ssd}}
status: {capacity: {cpu: "2", memory: 4Gi, pods: "110"}, allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {capacity: {cpu: "2", memory: 4Gi, pods: "110"}, allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-3}
status: {capacity: {cpu: "2", memory: 4Gi, pods: "110"}, allocatable: {cpu: "2", memory: 4Gi, pods: "110"}}
`;

export async function startTestCluster(
  speed = 50,
  yaml = NODES,
  imageBehaviors: ImageBehavior[] = [],
): Promise<TestCluster> {
  // The test's own nodes, not kind's default one.
  const sim = await startKubeSim({ port: 0, speed, nodes: 0 });
  imageBehaviorsFor(sim).push(...imageBehaviors);
  sim.loadYaml(yaml, 'nodes');
  // Creating an object drops its status (as on a real API server); write the nodes' status as a kubelet would.
  for (const doc of parseAllDocuments(yaml).map((d) => d.toJS() as KObject)) {
    if (doc.kind === 'Node' && doc['status']) {
      sim.api.patch(
        NODE,
        undefined,
        doc.metadata.name!,
        'merge',
        { status: doc['status'] },
        { user: ADMIN, subresource: 'status' },
      );
    }
  }
  const controllers = sim.controllers!;
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const core = kc.makeApiClient(CoreV1Api);
  const kubectl = new Kubectl(sim);
  const waitFor = async <T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 15_000,
  ): Promise<T> => {
    let value: T | undefined | false;
    await until(
      async () => {
        value = await check();
        return value !== undefined && value !== false;
      },
      timeoutMs,
      what,
    );
    return value as T;
  };
  return {
    sim,
    controllers,
    core,
    kubectl,
    apply: async (text) => {
      await kubectl.ok(['apply', '--validate=false', '-f', '-'], text);
    },
    pod: async (namespace, name) => {
      try {
        return await core.readNamespacedPod({ namespace, name });
      } catch {
        return undefined;
      }
    },
    events: async (namespace, involved) => {
      const list = await core.listNamespacedEvent({
        namespace,
        ...(involved ? { fieldSelector: `involvedObject.name=${involved}` } : {}),
      });
      return list.items;
    },
    waitFor,
    stop: () => sim.stop(),
  };
}

/** The first event with `reason` whose message contains `text`. */
export function findEvent(
  events: CoreV1Event[],
  reason: string,
  text = '',
): CoreV1Event | undefined {
  return events.find((e) => e.reason === reason && (e.message ?? '').includes(text));
}
