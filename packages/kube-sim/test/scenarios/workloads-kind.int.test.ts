// Controllers and scheduling as scripts for kind see them, through the real kubectl:
// `kubectl set image pod/…` restarts the container with the new image, a crashlooping
// Deployment is never "available" and runs into its progress deadline, replicas spread.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
let sim: KubeSim;
let kubectl: Kubectl;

beforeAll(async () => {
  // kind-control-plane (tainted) and three workers.
  sim = await startKubeSim({ speed: 50, nodes: 4 });
  kubectl = new Kubectl(sim);
});
afterAll(async () => {
  await sim.stop();
});

const jsonpath = (what: string[], path: string) => kubectl.ok([...what, '-o', `jsonpath=${path}`]);

describe('kubectl set image pod/…', () => {
  it('restarts the container with the new image within seconds', async () => {
    await kubectl.ok(['run', 'web', '--image=nginx:1.25']);
    await until(
      async () => (await jsonpath(['get', 'pod', 'web'], '{.status.phase}')) === 'Running',
      30_000,
      'web running',
    );
    await kubectl.ok(['set', 'image', 'pod/web', 'web=nginx:1.27']);
    await until(
      async () =>
        (await jsonpath(
          ['get', 'pod', 'web'],
          '{.status.containerStatuses[0].image} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].ready}',
        )) === 'nginx:1.27 1 true',
      30_000,
      'the container running nginx:1.27',
    );
    const events = await kubectl.ok([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=web',
      '-o',
      'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
    ]);
    expect(events).toContain('Killing: Container web definition changed, will be restarted');
    expect(events).toContain('Pulling: Pulling image "nginx:1.27"');
  });
});

describe('a Deployment whose pods crashloop', () => {
  it('reports ReplicaSetUpdated, never NewReplicaSetAvailable, then ProgressDeadlineExceeded', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: crash}
spec:
  replicas: 2
  progressDeadlineSeconds: 120
  selector: {matchLabels: {app: crash}}
  template:
    metadata: {labels: {app: crash}}
    spec:
      containers: [{name: app, image: busybox:1.36, command: [sh, -c, 'echo starting; exit 1']}]
`,
    );
    const reasons = new Set<string>();
    await until(
      async () => {
        const reason = await jsonpath(
          ['get', 'deployment', 'crash'],
          '{.status.conditions[?(@.type=="Progressing")].reason}',
        );
        reasons.add(reason);
        return reason === 'ProgressDeadlineExceeded';
      },
      30_000,
      'ProgressDeadlineExceeded',
    );
    expect(reasons.has('NewReplicaSetAvailable')).toBe(false);
    expect(
      [...reasons].some((r) => r === 'ReplicaSetUpdated' || r === 'NewReplicaSetCreated'),
    ).toBe(true);
    expect(
      await jsonpath(
        ['get', 'deployment', 'crash'],
        '{.status.conditions[?(@.type=="Available")].status}',
      ),
    ).toBe('False');
    const rollout = await kubectl.run(['rollout', 'status', 'deployment/crash', '--timeout=20s']);
    expect(rollout.code).not.toBe(0);
    expect(rollout.stderr).toContain('exceeded its progress deadline');
  });
});

describe('the scheduler', () => {
  it('spreads replicas over the workers instead of packing one node', async () => {
    await kubectl.ok(['create', 'deployment', 'spread', '--image=nginx:1.27', '--replicas=6']);
    await until(
      async () =>
        (await jsonpath(['get', 'pods', '-l', 'app=spread'], '{.items[*].spec.nodeName}'))
          .split(' ')
          .filter(Boolean).length === 6,
      30_000,
      'six scheduled pods',
    );
    const nodes = (
      await jsonpath(['get', 'pods', '-l', 'app=spread'], '{.items[*].spec.nodeName}')
    ).split(' ');
    const perNode = new Map<string, number>();
    for (const n of nodes) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['kind-worker', 'kind-worker2', 'kind-worker3']);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });
});
