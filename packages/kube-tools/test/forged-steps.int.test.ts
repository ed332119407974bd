import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Step } from '@opsloop/contracts';
import {
  DriftError,
  InvalidArgsError,
  ProtectedNamespaceError,
  StepMismatchError,
  applyStep,
  planStep,
} from '../src/mod.ts';
import type { KubeObject, PlannedStep } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { allWrites, create, startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

/**
 * Steps that pass contracts' Step schema but are not what their action derives: each must
 * be refused with a typed error before anything is written (kube-sim's audit log records
 * every write the API server accepted or refused).
 */
let env: SimEnv;
let scale: PlannedStep;
const COREFILE = '.:53 {\n    forward . /etc/resolv.conf\n}\n';
const EVIL = '.:53 {\n    forward . 203.0.113.66\n}\n';

beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
  await create(env.cluster, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: COREFILE },
  });
  scale = await planStep(
    'ScaleWorkload',
    { namespace: NS, kind: 'Deployment', name: 'web', replicas: 5 },
    env.cluster,
  );
});
afterAll(async () => env?.stop());

const forge = (change: (step: PlannedStep) => void, from: PlannedStep = scale): PlannedStep => {
  const step = structuredClone(from);
  change(step);
  return step;
};
const corefilePatch = {
  type: 'json' as const,
  body: [
    { op: 'test', path: '/data/Corefile', value: COREFILE },
    { op: 'replace', path: '/data/Corefile', value: EVIL },
  ] as never,
};
const coreDnsTarget = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'kube-system',
  name: 'coredns',
  resourceVersion: '1',
};

async function expectRefused(
  step: PlannedStep,
  type: new (...a: never[]) => Error,
  message: RegExp,
) {
  // Each forged step is a well-formed contracts Step: only the catalog can refuse it.
  expect(Step.safeParse({ ...step, id: 's1' }).success).toBe(true);
  const mark = allWrites(env.sim).length;
  const error = await applyStep(step, env.cluster).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  expect(allWrites(env.sim).slice(mark)).toEqual([]);
}

describe('applyStep refuses a step its action does not derive, writing nothing', () => {
  it('ScaleWorkload args with a kube-system ConfigMap target and a /data/Corefile patch', async () => {
    await expectRefused(
      forge((s) => {
        s.target = coreDnsTarget;
        s.patch = corefilePatch;
      }),
      StepMismatchError,
      /target apiVersion is "v1", the args name "apps\/v1"/,
    );
    const coredns = (await env.cluster.get('ConfigMap', 'kube-system', 'coredns')) as KubeObject;
    expect(coredns.data.Corefile).toBe(COREFILE);
  });

  it('the same patch with args naming kube-system is refused by the namespace policy', async () => {
    await expectRefused(
      forge((s) => {
        s.args = { namespace: 'kube-system', kind: 'Deployment', name: 'coredns', replicas: 2 };
        s.target = { ...coreDnsTarget, apiVersion: 'apps/v1', kind: 'Deployment' };
        s.patch = corefilePatch;
      }),
      ProtectedNamespaceError,
      /namespace "kube-system" is protected/,
    );
  });

  it('the right target with a patch that writes something else (an image, not replicas)', async () => {
    await expectRefused(
      forge((s) => {
        const body = s.patch!.body as { op: string; path: string; value: unknown }[];
        body[body.length - 1] = {
          op: 'replace',
          path: '/spec/template/spec/containers/0/image',
          value: 'evil.example/miner:1',
        };
      }),
      StepMismatchError,
      /stored "replace \/spec\/template\/spec\/containers\/0\/image" where the action derives "replace \/spec\/replicas"/,
    );
  });

  it('harmless args, the derived change, plus one more write op slipped in front', async () => {
    await expectRefused(
      forge((s) => {
        (s.patch!.body as unknown[]).unshift({
          op: 'add',
          path: '/spec/template/spec/serviceAccountName',
          value: 'cluster-admin-sa',
        });
      }),
      StepMismatchError,
      /"add \/spec\/template\/spec\/serviceAccountName" is more than the action derives/,
    );
  });

  it('args that differ from the patch (replicas 9 asked, 5 in the patch)', async () => {
    await expectRefused(
      forge((s) => {
        s.args = { ...s.args, replicas: 9 };
      }),
      StepMismatchError,
      /where the action derives/,
    );
  });

  it('the guard stripped, a merge patch, a move op, args the schema refuses', async () => {
    const unguarded = forge((s) => {
      s.patch!.body = (s.patch!.body as { op: string }[]).filter((op) => op.op !== 'test') as never;
    });
    await expectRefused(
      unguarded,
      StepMismatchError,
      /the guard "test \/metadata\/generation" is missing/,
    );
    await expectRefused(
      forge((s) => {
        s.patch = { type: 'merge', body: { spec: { replicas: 2 } } };
      }),
      StepMismatchError,
      /a merge patch; only guarded JSON patches are executed/,
    );
    await expectRefused(
      forge((s) => {
        (s.patch!.body as unknown[]).push({
          op: 'move',
          from: '/spec/replicas',
          path: '/spec/paused',
        });
      }),
      StepMismatchError,
      /not an add\/replace\/remove\/test op/,
    );
    await expectRefused(
      forge((s) => {
        s.args = { ...s.args, namespace: 'shop; rm -rf /' };
      }),
      InvalidArgsError,
      /namespace/,
    );
  });

  it('a DeletePod carrying a patch, and a DrainNode evicting a pod that is not on the node', async () => {
    const del = await planStep('DeletePod', { namespace: NS, name: 'web-bbbb2-x1' }, env.cluster);
    await expectRefused(
      forge((s) => {
        s.patch = corefilePatch;
      }, del),
      StepMismatchError,
      /DeletePod writes no patch/,
    );
    const drain = await planStep('DrainNode', { name: 'node-1', timeoutSeconds: 5 }, env.cluster);
    const coredns = (await env.cluster.get('ConfigMap', 'kube-system', 'coredns')) as KubeObject;
    const bare = (await env.cluster.get('Pod', NS, 'bare')) as KubeObject;
    expect(bare.spec.nodeName).not.toBe('node-1');
    await expectRefused(
      forge((s) => {
        s.diff.find((d) => d.path === 'evictions')!.before = [`${NS}/bare#${bare.metadata.uid}`];
      }, drain),
      StepMismatchError,
      /pod shop\/bare is not on node node-1/,
    );
    expect(coredns.metadata.uid).toBeTruthy();
  });

  it('a RecreateJob whose shown manifest is not the live Job (the diff is never executed)', async () => {
    const recreate = await planStep('RecreateJob', { namespace: NS, name: 'migrate' }, env.cluster);
    await expectRefused(
      forge((s) => {
        const after = s.diff[0]!.after as {
          spec: { template: { spec: { containers: { image: string }[] } } };
        };
        after.spec.template.spec.containers[0]!.image = 'evil.example/miner:1';
      }, recreate),
      StepMismatchError,
      /the Job spec shown differs from the live Job/,
    );
  });

  it('a legitimately planned step still applies; a real spec change since is drift, not a mismatch', async () => {
    const drifted = await planStep(
      'ScaleWorkload',
      { namespace: NS, kind: 'Deployment', name: 'web', replicas: 6 },
      env.cluster,
    );
    await env.cluster.patch('Deployment', NS, 'web', {
      type: 'merge',
      body: { spec: { revisionHistoryLimit: 3 } },
    });
    await expectRefused(drifted, DriftError, /\/metadata\/generation differs from the plan/);
    const fresh = await planStep(
      'ScaleWorkload',
      { namespace: NS, kind: 'Deployment', name: 'web', replicas: 6 },
      env.cluster,
    );
    const observed = await applyStep(fresh, env.cluster);
    expect(observed.resourceVersionAfter).not.toBeNull();
    expect(((await env.cluster.get('Deployment', NS, 'web')) as KubeObject).spec.replicas).toBe(6);
  });
});
