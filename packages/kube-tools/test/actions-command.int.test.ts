import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim } from '@opsloop/kube-sim';
import type { KubeSim } from '@opsloop/kube-sim';
import {
  DriftError,
  PreconditionError,
  applyStep,
  connectCluster,
  inverseOf,
  isApplied,
  planStep,
} from '../src/mod.ts';
import type { Cluster, KubeObject } from '../src/mod.ts';

const NS = 'tools';
let sim: KubeSim;
let cluster: Cluster;

const template = (command: string[] | undefined, args?: string[]) => ({
  metadata: { labels: { app: 'preview' } },
  spec: {
    containers: [
      {
        name: 'preview',
        image: 'nginx:1.27',
        ...(command ? { command } : {}),
        ...(args ? { args } : {}),
        ports: [{ containerPort: 80 }],
      },
    ],
  },
});

async function workload(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
  command?: string[],
  args?: string[],
) {
  return cluster.create(kind, NS, {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      selector: { matchLabels: { app: 'preview' } },
      template: template(command, args),
    },
  });
}

const containerOf = async (kind: string, name: string) =>
  ((await cluster.get(kind, NS, name)) as KubeObject).spec.template.spec.containers[0];

/** Wait until the Deployment controller has recorded `revision` on the Deployment. */
async function revision(name: string, wanted: string) {
  for (let i = 0; i < 100; i += 1) {
    const d = await cluster.get('Deployment', NS, name);
    if (d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} never reached revision ${wanted}`);
}

beforeAll(async () => {
  // Controllers on: the Deployment keeps its revisions in ReplicaSets, which the inverse uses.
  sim = await startKubeSim({ speed: 50 });
  cluster = await connectCluster({ kubeconfigText: sim.kubeconfig() });
  await cluster.create('Namespace', null, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
});
afterAll(async () => sim?.stop());

describe('ClearCommandOverride', () => {
  it('removes only the command, dry-run diff first; isApplied; its inverse is a rollback to the command', async () => {
    await workload(
      'Deployment',
      'preview',
      ['sh', '-c', 'python3 -m http.server'],
      ['--bind', '0.0.0.0'],
    );
    await revision('preview', '1');
    const args = { namespace: NS, kind: 'Deployment', name: 'preview', container: 'preview' };
    const step = await planStep('ClearCommandOverride', args, cluster);
    expect(step.risk).toBe('medium');
    expect(step.diff).toEqual([
      {
        path: 'spec.template.spec.containers[preview].command',
        before: ['sh', '-c', 'python3 -m http.server'],
        after: null,
      },
    ]);
    expect(step.summary).toMatch(/image's entrypoint/);
    expect(await isApplied(step, cluster)).toBe(false);
    expect((await containerOf('Deployment', 'preview')).command).toBeDefined();

    await applyStep(step, cluster);
    const after = await containerOf('Deployment', 'preview');
    expect(after.command).toBeUndefined();
    expect(after.args).toEqual(['--bind', '0.0.0.0']);
    expect(await isApplied(step, cluster)).toBe(true);

    await revision('preview', '2');
    const inverse = inverseOf(step);
    expect(inverse).toEqual({
      action: 'RolloutUndo',
      args: { namespace: NS, kind: 'Deployment', name: 'preview' },
    });
    await applyStep(await planStep(inverse!.action, inverse!.args, cluster), cluster);
    expect((await containerOf('Deployment', 'preview')).command).toEqual([
      'sh',
      '-c',
      'python3 -m http.server',
    ]);
  });

  it('with clearArgs drops args too; on a StatefulSet there is no inverse action', async () => {
    await workload('StatefulSet', 'exporter', ['python3'], ['/app/export.py']);
    const step = await planStep(
      'ClearCommandOverride',
      {
        namespace: NS,
        kind: 'StatefulSet',
        name: 'exporter',
        container: 'preview',
        clearArgs: true,
      },
      cluster,
    );
    expect(step.diff.map((d) => d.path)).toEqual([
      'spec.template.spec.containers[preview].command',
      'spec.template.spec.containers[preview].args',
    ]);
    await applyStep(step, cluster);
    const after = await containerOf('StatefulSet', 'exporter');
    expect(after.command).toBeUndefined();
    expect(after.args).toBeUndefined();
    expect(inverseOf(step)).toBeNull();
  });

  it('refuses a container without a command override, and a plan whose command changed since', async () => {
    await workload('Deployment', 'plain');
    await expect(
      planStep(
        'ClearCommandOverride',
        { namespace: NS, kind: 'Deployment', name: 'plain', container: 'preview' },
        cluster,
      ),
    ).rejects.toBeInstanceOf(PreconditionError);

    await workload('Deployment', 'moving', ['python3', 'app.py']);
    const step = await planStep(
      'ClearCommandOverride',
      { namespace: NS, kind: 'Deployment', name: 'moving', container: 'preview' },
      cluster,
    );
    await cluster.patch('Deployment', NS, 'moving', {
      type: 'json',
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/command', value: ['nginx'] }],
    });
    await expect(applyStep(step, cluster)).rejects.toBeInstanceOf(DriftError);
    expect((await containerOf('Deployment', 'moving')).command).toEqual(['nginx']);
  });
});
