// The real kubectl against kube-sim: create, apply (client-side strategic merge), get in every
// output format, selectors, patch types, scale, set image, label/annotate, dry-run, wait.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl } from '../helpers/kubectl.ts';

// Real processes on a shared 2-core machine: allow for slow starts.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: KubeSim;
let k: Kubectl;

beforeAll(async () => {
  // The API server alone: the tests read back exactly what kubectl wrote (no controller acts).
  sim = await startKubeSim({ port: 0, controllers: false });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  k = new Kubectl(sim);
});

const manifest = (image: string, b: string, replicas: number) => `
apiVersion: v1
kind: Namespace
metadata: {name: apply-ns}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: apply-ns, labels: {app: api, tier: backend}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ${image}
        env: [{name: A, value: "1"}, {name: B, value: "${b}"}]
      - name: sidecar
        image: envoy:1.0
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: apply-ns}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('kubectl against kube-sim', () => {
  it('creates a namespace and a deployment, and reports the server version', async () => {
    expect(await k.ok(['create', 'namespace', 'shop'])).toContain('namespace/shop created');
    expect(
      await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', 'shop']),
    ).toContain('deployment.apps/web created');
    const version = await k.ok(['version', '-o', 'json']);
    expect(JSON.parse(version).serverVersion.gitVersion).toMatch(/^v1\.31\./);
    const image = await k.ok([
      'get',
      'deploy',
      'web',
      '-n',
      'shop',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image).toBe('nginx:1.25');
  });

  it('applies a multi-document file, then a changed version as a strategic merge', async () => {
    expect(await k.ok(['apply', '-f', '-'], manifest('shop/api:1.0', '2', 2))).toMatch(
      /deployment.apps\/api created[\s\S]*service\/api created/,
    );
    // A field set by someone else survives the next apply (three-way merge).
    await k.ok([
      'patch',
      'deploy',
      'api',
      '-n',
      'apply-ns',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"api","env":[{"name":"EXTRA","value":"x"}]}]}}}}',
    ]);
    const out = await k.ok(['apply', '-f', '-'], manifest('shop/api:2.0', '22', 3));
    expect(out).toContain('deployment.apps/api configured');
    expect(out).toContain('service/api unchanged');
    const deployment = JSON.parse(
      await k.ok(['get', 'deploy', 'api', '-n', 'apply-ns', '-o', 'json']),
    );
    expect(deployment.spec.replicas).toBe(3);
    const [api, sidecar] = deployment.spec.template.spec.containers;
    expect(api.image).toBe('shop/api:2.0');
    expect(api.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '22' },
      { name: 'EXTRA', value: 'x' },
    ]);
    expect(sidecar).toMatchObject({ name: 'sidecar', image: 'envoy:1.0' });
    expect(deployment.metadata.generation).toBe(3);
  });

  it('gets with -o wide, -o yaml, -o jsonpath, -l and --field-selector', async () => {
    await k.ok(['create', 'namespace', 'get-ns']);
    await k.ok(['create', 'deployment', 'front', '--image=web:1', '-n', 'get-ns']);
    await k.ok(['create', 'deployment', 'back', '--image=api:1', '-n', 'get-ns']);
    await k.ok(['label', 'deploy', 'back', 'tier=backend', '-n', 'get-ns']);
    const wide = await k.ok(['get', 'deploy', '-n', 'get-ns', '-o', 'wide']);
    expect(wide).toMatch(
      /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/,
    );
    expect(wide).toMatch(/front\s+0\/1\s+0\s+0\s+\S+\s+web\s+web:1\s+app=front/);
    expect(await k.ok(['get', 'deploy', 'front', '-n', 'get-ns', '-o', 'yaml'])).toMatch(
      /kind: Deployment[\s\S]*revisionHistoryLimit: 10/,
    );
    expect(
      await k.ok(['get', 'deploy', '-n', 'get-ns', '-o', 'jsonpath={.items[*].metadata.name}']),
    ).toBe('back front');
    expect(await k.ok(['get', 'deploy', '-n', 'get-ns', '-l', 'tier=backend', '-o', 'name'])).toBe(
      'deployment.apps/back\n',
    );
    expect(await k.ok(['get', 'deploy', '-n', 'get-ns', '-l', '!tier', '-o', 'name'])).toBe(
      'deployment.apps/front\n',
    );
    expect(
      await k.ok([
        'get',
        'deploy',
        '-n',
        'get-ns',
        '--field-selector',
        'metadata.name=front',
        '-o',
        'name',
      ]),
    ).toBe('deployment.apps/front\n');
    const bad = await k.run(['get', 'pods', '-n', 'get-ns', '--field-selector', 'spec.foo=bar']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('field label not supported: spec.foo');
  });

  it('patches with --type merge, json and strategic; scales; sets image; labels and annotates', async () => {
    await k.ok(['create', 'namespace', 'patch-ns']);
    await k.ok(['create', 'deployment', 'web', '--image=web:1', '-n', 'patch-ns']);
    const get = (path: string) =>
      k.ok(['get', 'deploy', 'web', '-n', 'patch-ns', '-o', `jsonpath=${path}`]);
    await k.ok([
      'patch',
      'deploy',
      'web',
      '-n',
      'patch-ns',
      '--type',
      'merge',
      '-p',
      '{"spec":{"minReadySeconds":5}}',
    ]);
    expect(await get('{.spec.minReadySeconds}')).toBe('5');
    await k.ok([
      'patch',
      'deploy',
      'web',
      '-n',
      'patch-ns',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/minReadySeconds","value":7}]',
    ]);
    expect(await get('{.spec.minReadySeconds}')).toBe('7');
    const failed = await k.run([
      'patch',
      'deploy',
      'web',
      '-n',
      'patch-ns',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/minReadySeconds","value":1}]',
    ]);
    expect(failed.code).not.toBe(0);
    await k.ok([
      'patch',
      'deploy',
      'web',
      '-n',
      'patch-ns',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"X","value":"1"}]}]}}}}',
    ]);
    expect(
      await get(
        '{.spec.template.spec.containers[0].env[0].name}={.spec.template.spec.containers[0].image}',
      ),
    ).toBe('X=web:1');
    expect(await k.ok(['scale', 'deploy', 'web', '-n', 'patch-ns', '--replicas=4'])).toContain(
      'scaled',
    );
    expect(await get('{.spec.replicas}')).toBe('4');
    await k.ok(['set', 'image', 'deploy/web', 'web=web:2', '-n', 'patch-ns']);
    expect(await get('{.spec.template.spec.containers[0].image}')).toBe('web:2');
    await k.ok(['label', 'deploy', 'web', 'team=payments', '-n', 'patch-ns']);
    await k.ok(['annotate', 'deploy', 'web', 'owner=alice', '-n', 'patch-ns']);
    expect(await get('{.metadata.labels.team}/{.metadata.annotations.owner}')).toBe(
      'payments/alice',
    );
    const audit = sim.audit
      .entries()
      .filter((e) => e.namespace === 'patch-ns' && e.verb === 'patch');
    expect(audit.map((e) => e.patchType)).toEqual(
      expect.arrayContaining([
        'application/merge-patch+json',
        'application/json-patch+json',
        'application/strategic-merge-patch+json',
      ]),
    );
    expect(audit.find((e) => e.subresource === 'scale')).toBeDefined();
  });

  it('creates with --dry-run=server without storing anything, and audits it as dry-run', async () => {
    await k.ok(['create', 'namespace', 'dry-ns']);
    expect(
      await k.ok([
        'create',
        'deployment',
        'ghost',
        '--image=x:1',
        '-n',
        'dry-ns',
        '--dry-run=server',
      ]),
    ).toContain('created (server dry run)');
    const found = await k.run(['get', 'deploy', 'ghost', '-n', 'dry-ns']);
    expect(found.stderr).toContain('deployments.apps "ghost" not found');
    const entry = sim.audit
      .entries()
      .find(
        (e) => e.name === undefined && e.namespace === 'dry-ns' && e.resource === 'deployments',
      );
    expect(entry).toMatchObject({ verb: 'create', dryRun: true, responseCode: 201, user: 'admin' });
  });

  it('waits for a condition and for a jsonpath value set through the status subresource', async () => {
    await k.ok(['create', 'namespace', 'wait-ns']);
    await k.ok(['create', 'deployment', 'web', '--image=web:1', '-n', 'wait-ns']);
    const waiting = k.run([
      'wait',
      '--for=condition=Available',
      'deploy/web',
      '-n',
      'wait-ns',
      '--timeout=20s',
    ]);
    const byPath = k.run([
      'wait',
      '--for=jsonpath={.status.readyReplicas}=1',
      'deploy/web',
      '-n',
      'wait-ns',
      '--timeout=20s',
    ]);
    await new Promise((r) => setTimeout(r, 500));
    await k.ok([
      'patch',
      'deploy',
      'web',
      '-n',
      'wait-ns',
      '--subresource=status',
      '--type',
      'merge',
      '-p',
      '{"status":{"readyReplicas":1,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"}]}}',
    ]);
    expect((await waiting).stdout).toContain('condition met');
    expect((await byPath).stdout).toContain('condition met');
  });

  it('describes a deployment', async () => {
    await k.ok(['create', 'namespace', 'desc-ns']);
    await k.ok(['create', 'deployment', 'web', '--image=web:1', '-n', 'desc-ns']);
    const out = await k.ok(['describe', 'deploy', 'web', '-n', 'desc-ns']);
    expect(out).toMatch(/Name:\s+web/);
    expect(out).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
    expect(out).toMatch(/Image:\s+web:1/);
  });

  it('applies server-side, reports field manager conflicts and takes over with --force-conflicts', async () => {
    await k.ok(['create', 'namespace', 'ssa-ns']);
    const cm = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ssa-ns}\ndata: {mode: ${value}}\n`;
    expect(
      await k.ok(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], cm('fast')),
    ).toContain('serverside-applied');
    const conflict = await k.run(
      ['apply', '--server-side', '--field-manager=team-b', '-f', '-'],
      cm('safe'),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "team-a": .data.mode',
    );
    await k.ok(
      ['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'],
      cm('safe'),
    );
    const live = JSON.parse(
      await k.ok(['get', 'cm', 'settings', '-n', 'ssa-ns', '-o', 'json', '--show-managed-fields']),
    );
    expect(live.data.mode).toBe('safe');
    expect(live.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual([
      'team-b',
    ]);
  });

  it('rejects unknown fields with fieldValidation=Strict like the API server', async () => {
    const result = await k.run(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'typo', namespace: 'default' },
        dataa: { a: '1' },
      }),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown field "dataa"/);
  });

  it('mints service account tokens that authenticate as the service account', async () => {
    await k.ok(['create', 'namespace', 'sa-ns']);
    await k.ok(['create', 'serviceaccount', 'robot', '-n', 'sa-ns']);
    const token = (await k.ok(['create', 'token', 'robot', '-n', 'sa-ns'])).trim();
    const whoami = await k.run(['get', 'pods', '-n', 'sa-ns', '--token', token]);
    expect(whoami.stderr).toContain(
      'User "system:serviceaccount:sa-ns:robot" cannot list resource "pods"',
    );
  });
});
