import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiagnoseCommand } from '../src/mod.ts';
import { create, setStatus, startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

let env: SimEnv;
let dir: string;
let kubeconfig: string;

function sink(tty = false) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  if (tty) stream.isTTY = true;
  return { stream, text: () => text };
}

async function diagnose(argv: string[], envVars: NodeJS.ProcessEnv = {}, tty = false) {
  const out = sink();
  const err = sink(tty);
  const code = await runDiagnoseCommand(argv, {
    stdout: out.stream,
    stderr: err.stream as never,
    env: { HOME: dir, ...envVars },
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

const ready = () => ({
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    {
      name: 'app',
      ready: true,
      restartCount: 0,
      image: 'app:1',
      imageID: '',
      started: true,
      state: { running: { startedAt: new Date().toISOString() } },
    },
  ],
});

async function seedNamespace(ns: string, serviceSelector: Record<string, string>) {
  const c = env.cluster;
  await create(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const labels = { 'app.kubernetes.io/name': 'api' };
  const d = await create(c, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }] },
          ],
        },
      },
    },
  });
  await setStatus(c, d, {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
  });
  const pod = await create(c, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-1', namespace: ns, labels },
    spec: {
      containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }] }],
    },
  });
  await setStatus(c, pod, ready());
  await create(c, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: ns },
    spec: { selector: serviceSelector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await create(c, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'api', namespace: ns },
    subsets: [{ addresses: [{ ip: '10.1.0.4' }], ports: [{ port: 8080 }] }],
  }).catch(() => undefined);
}

beforeAll(async () => {
  env = await startSimEnv();
  dir = mkdtempSync(join(tmpdir(), 'opsloop-diagnose-'));
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, env.sim.kubeconfig());
  await seedNamespace('broken', { app: 'api' });
  await seedNamespace('healthy', { 'app.kubernetes.io/name': 'api' });
});
afterAll(async () => env?.stop());

describe('opsloop diagnose', () => {
  it('prints findings with evidence and a proposed typed fix, fits 100 columns, exits 1, writes nothing', async () => {
    const mark = env.sim.audit.entries().length;
    const { code, stdout } = await diagnose(['--kubeconfig', kubeconfig, '-n', 'broken']);
    expect(code).toBe(1);
    expect(stdout).toContain('Namespace broken: 1 critical');
    expect(stdout).toContain('CRITICAL SERVICE_SELECTOR_NO_MATCH — Service broken/api');
    expect(stdout).toMatch(
      /1\. PatchServiceSelector\s+\{"namespace": "broken", "name": "api", "selector":\s+\{"app.kubernetes.io\/name": "api"\}\}/,
    );
    expect(Math.max(...stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    const writes = env.sim.audit
      .entries()
      .slice(mark)
      .filter((e) => !['get', 'list', 'watch'].includes(e.verb));
    expect(writes).toEqual([]);
  });

  it('--json prints exactly the findings shape', async () => {
    const { code, stdout } = await diagnose([
      '--kubeconfig',
      kubeconfig,
      '--namespace=broken',
      '--json',
    ]);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as { findings: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['findings']);
    const f = parsed.findings[0]!;
    expect(Object.keys(f)).toEqual([
      'code',
      'severity',
      'object',
      'evidence',
      'explanation',
      'remediations',
    ]);
    expect(Object.keys(f.object as object)).toEqual(['apiVersion', 'kind', 'namespace', 'name']);
    expect(f).toMatchObject({
      code: 'SERVICE_SELECTOR_NO_MATCH',
      severity: 'critical',
      object: { apiVersion: 'v1', kind: 'Service', namespace: 'broken', name: 'api' },
    });
    const r = (f.remediations as Record<string, unknown>[])[0]!;
    expect(Object.keys(r)).toEqual(['action', 'args', 'confidence', 'reasoning']);
  });

  it('exits 0 on a healthy namespace, honours KUBECONFIG, and shows progress only on a TTY', async () => {
    const plain = await diagnose(['-n', 'healthy'], { KUBECONFIG: kubeconfig });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Namespace healthy: no findings');
    expect(plain.stderr).toBe('');
    const tty = await diagnose(['-n', 'healthy', '--json'], { KUBECONFIG: kubeconfig }, true);
    expect(tty.stderr).toContain('diagnosing namespace 1/1: healthy');
    expect(JSON.parse(tty.stdout)).toEqual({ findings: [] });
  });

  it('uses ~/.kube/config like kubectl, and -A covers every namespace', async () => {
    const home = mkdtempSync(join(tmpdir(), 'opsloop-home-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), env.sim.kubeconfig());
    const out = sink();
    const code = await runDiagnoseCommand(['-A', '--json'], {
      stdout: out.stream,
      stderr: sink().stream,
      env: { HOME: home },
    });
    expect(code).toBe(1);
    const namespaces = new Set(
      (JSON.parse(out.text()) as { findings: { object: { namespace: string } }[] }).findings.map(
        (f) => f.object.namespace,
      ),
    );
    expect(namespaces.has('broken')).toBe(true);
  });

  it('exits 2 with a message saying what to do on usage and kubeconfig errors', async () => {
    const missing = await diagnose(['--kubeconfig', join(dir, 'nope')]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('does not exist; pass --kubeconfig with an existing file');
    const none = await diagnose([], { KUBECONFIG: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no kubeconfig found');
    const context = await diagnose(['--kubeconfig', kubeconfig, '--context', 'prod']);
    expect(context.code).toBe(2);
    expect(context.stderr).toContain('context "prod" is not in the kubeconfig');
    expect((await diagnose(['--frobnicate'])).code).toBe(2);
    expect((await diagnose(['-n', 'Bad_NS'])).code).toBe(2);
    expect((await diagnose(['-n', 'a', '-A'])).code).toBe(2);
    const unreachable = join(dir, 'unreachable');
    writeFileSync(
      unreachable,
      env.sim.kubeconfig().replace(/https:\/\/127\.0\.0\.1:\d+/, 'https://127.0.0.1:9'),
    );
    const down = await diagnose(['--kubeconfig', unreachable, '-n', 'x']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('cannot reach the Kubernetes API server');
  });
});
