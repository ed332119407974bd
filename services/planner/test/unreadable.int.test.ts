import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioSim, type ScenarioSim } from '@opsloop/kube-sim';
import { connectCluster } from '@opsloop/kube-tools';
import { createLogger } from '@opsloop/service-kit';
import { startPlanner, type RunningPlanner } from '../src/mod.ts';
import { ask, only, outcomeOf, startNats, type Nats } from './helpers/env.ts';

/**
 * The planner with its own identity, which may read everything in the namespace but pods:
 * what it cannot read is said, never passed off as a healthy namespace.
 */
let nats: Nats;
let run: ScenarioSim;
let planner: RunningPlanner;
let clusterId: string;

beforeAll(async () => {
  nats = await startNats();
  run = await startScenarioSim('payment-api-selector-mismatch', {
    speed: 50,
    users: [{ token: 'planner-token', username: 'opsloop-planner' }],
  });
  const admin = await connectCluster({ kubeconfigText: run.kubeconfig() });
  clusterId = await admin.identity();
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'planner-without-pods' },
    rules: [
      {
        apiGroups: [''],
        resources: ['namespaces', 'services', 'endpoints', 'events', 'configmaps', 'nodes'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['apps', 'batch', 'networking.k8s.io', 'autoscaling', 'policy'],
        resources: ['*'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'planner-without-pods' },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    },
    subjects: [{ kind: 'User', name: 'opsloop-planner', apiGroup: 'rbac.authorization.k8s.io' }],
  };
  await admin.request('POST', `${rbac}/clusterroles`, { body: role });
  await admin.request('POST', `${rbac}/clusterrolebindings`, { body: binding });
  const own = await connectCluster({ kubeconfigText: run.kubeconfig('opsloop-planner') });
  planner = await startPlanner({
    log: nats.log,
    cluster: own,
    logger: createLogger('planner-test', 'silent'),
  });
}, 60_000);
afterAll(async () => {
  await planner?.stop();
  await run?.stop();
  await nats?.stop();
});

describe('what the planner may not read', () => {
  it('is named in the context and the answer; the namespace is not called healthy', async () => {
    const events = await outcomeOf(
      nats.log,
      await ask(nats.log, clusterId, 'Is the payments namespace healthy?', { scope: ['payments'] }),
    );
    expect(only(events, 'ContextGathered').payload.summary).toMatch(
      /could not read: .*pods \(forbidden\)/,
    );
    const answer = only(events, 'OperationAnswered').payload.answer;
    expect(answer).toMatch(/Could not read: .*pods \(forbidden\)/);
    expect(answer).not.toMatch(/is healthy/);
  }, 60_000);
});
