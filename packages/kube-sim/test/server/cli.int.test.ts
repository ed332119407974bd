// `opsloop sim` as a process: loads YAML, prints where it listens, saves and reloads state,
// and refuses malformed YAML with a clear message and exit code 2.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { until } from '../helpers/kubectl.ts';

// Real processes on a shared 2-core machine: allow for slow starts.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const entry = fileURLToPath(new URL('../helpers/sim-main.ts', import.meta.url));

function runSim(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

const dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));

describe('opsloop sim', () => {
  it('rejects a malformed file naming the file and the document, with exit code 2', async () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n---\napiVersion: v1\nmetadata: {name: x}\n',
    );
    const sim = runSim(['--port', '0', file]);
    expect(await sim.exited).toBe(2);
    expect(sim.output()).toContain(`${file}: document 3: missing "kind"`);
    const bad = join(dir, 'broken.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n');
    const again = runSim(['--port', '0', bad]);
    expect(await again.exited).toBe(2);
    expect(again.output()).toContain(`${bad}: document 1: invalid YAML`);
    const unknown = runSim(['--bogus']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('unknown option --bogus');
  }, 60_000);

  it('--json: one JSON line when started and when stopped; a bad file is a JSON error, exit 2', async () => {
    const kubeconfig = join(dir, 'json-kc.yaml');
    const sim = runSim(['--port', '0', '--json', '--kubeconfig-out', kubeconfig]);
    await until(() => sim.output().includes('"event":"started"'), 20_000, 'the started line');
    const started = JSON.parse(sim.output().trim().split('\n')[0]!) as Record<string, unknown>;
    expect(started).toMatchObject({ event: 'started', kubeconfig, scenario: null });
    expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    expect(sim.output()).toContain('{"event":"stopped","statePath":null}');
    const bad = join(dir, 'json-broken.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n');
    const failed = runSim(['--port', '0', '--json', bad]);
    expect(await failed.exited).toBe(2);
    const error = JSON.parse(failed.output().trim()) as { error: { message: string } };
    expect(error.error.message).toContain(`${bad}: document 1: invalid YAML`);
  }, 60_000);

  it('loads files, prints the kubeconfig, saves state on SIGTERM and reloads it', async () => {
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: app}\ndata: {mode: fast}\n',
    );
    const kubeconfig = join(dir, 'kc.yaml');
    const state = join(dir, 'state.json');
    const auditLog = join(dir, 'audit.jsonl');
    const first = runSim([
      '--port',
      '0',
      '--kubeconfig-out',
      kubeconfig,
      '--state',
      state,
      '--audit-log',
      auditLog,
      file,
    ]);
    await until(() => first.output().includes('get pods -A'), 20_000, 'the start banner');
    expect(first.output()).toMatch(/kube-sim listening on https:\/\/127\.0\.0\.1:\d+/);
    expect(first.output()).toContain(`kubeconfig: ${kubeconfig}`);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    expect(
      (await core.readNamespacedConfigMap({ name: 'settings', namespace: 'app' })).data,
    ).toEqual({ mode: 'fast' });
    await core.createNamespacedConfigMap({
      namespace: 'app',
      body: { metadata: { name: 'later' }, data: { n: '1' } },
    });
    // The server appends the entry right after answering (another process): wait for it.
    await until(
      () => existsSync(auditLog) && readFileSync(auditLog, 'utf8').includes('"configmaps"'),
      5000,
      'the audit entry',
    );
    const audited = readFileSync(auditLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audited.at(-1)).toMatchObject({
      user: 'admin',
      verb: 'create',
      resource: 'configmaps',
      namespace: 'app',
      responseCode: 201,
      dryRun: false,
    });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).version).toBe(1);

    const second = runSim(['--port', '0', '--kubeconfig-out', kubeconfig, '--state', state]);
    await until(() => second.output().includes('get pods -A'), 20_000, 'the second start');
    const kc2 = new KubeConfig();
    kc2.loadFromFile(kubeconfig);
    const later = await kc2
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'later', namespace: 'app' });
    expect(later.data).toEqual({ n: '1' });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
