// startScenarioSim and startKubeSim({scenario}): a whole scenario from one call, judged
// through the real API server (service proxy over HTTPS), fixed with the real kubectl.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SimLoadError, startKubeSim, startScenarioSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'kube-sim-scenario-sim-'));

function scenarioFile(name: string, body: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, body);
  return file;
}

describe('startScenarioSim', () => {
  it('reports the failing check until kubectl fixes the selector, then solves', async () => {
    const run = await startScenarioSim('payment-api-selector-mismatch', {
      users: [{ token: 'viewer-token-0123456789', username: 'viewer', groups: ['team-a'] }],
    });
    try {
      expect(run.namespace).toBe('payments');
      expect(run.kubeconfig('viewer')).toContain('viewer-token-0123456789');
      const kubectl = new Kubectl(run.sim);
      await until(
        async () => /Running/.test(await kubectl.ok(['get', 'pods', '-n', 'payments'])),
        30_000,
        'payment-api pods running',
      );
      const before = await run.solved();
      expect(before.ok).toBe(false);
      expect(before.report).toMatch(/^verify FAIL /);
      await kubectl.ok([
        'patch',
        'service',
        'payment-api',
        '-n',
        'payments',
        '--type',
        'merge',
        '-p',
        '{"spec":{"selector":{"app":null,"app.kubernetes.io/name":"payment-api"}}}',
      ]);
      const after = await run.waitSolved(60_000);
      expect(after.report).toBe('');
      expect(after.ok).toBe(true);
    } finally {
      await run.stop();
    }
  });

  it('runs a scenario in the existing default namespace with verify: [] on its own nodes', async () => {
    const file = scenarioFile(
      'in-default',
      `apiVersion: sim.opsloop.dev/v1alpha1
kind: Scenario
metadata: {name: in-default}
spec:
  summary: A fixture in default.
  request: nothing to fix
  namespace: default
  nodes: {count: 2}
  verify: []
---
apiVersion: v1
kind: ConfigMap
metadata: {name: fixture}
data: {a: b}
`,
    );
    const run = await startScenarioSim(file);
    try {
      const kubectl = new Kubectl(run.sim);
      expect(await kubectl.ok(['get', 'configmap', 'fixture', '-o', 'jsonpath={.data.a}'])).toBe(
        'b',
      );
      const nodes = await kubectl.ok(['get', 'nodes', '-o', 'name']);
      expect(nodes.trim().split('\n')).toEqual(['node/node-1', 'node/node-2']);
      expect((await run.solved()).ok).toBe(true);
    } finally {
      await run.stop();
    }
  });

  it('refuses a bad scenario with one clear line and leaves no server running', async () => {
    const bad = scenarioFile(
      'bad-object',
      `apiVersion: sim.opsloop.dev/v1alpha1
kind: Scenario
metadata: {name: bad-object}
spec: {summary: s, request: r, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 99999}]}
`,
    );
    const error = await startKubeSim({ scenario: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimLoadError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^scenario bad-object: Service shop\/web: .*99999/);
    const missing = await startKubeSim({ scenario: 'no-such' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SimLoadError);
    expect((missing as Error).message).not.toContain('\n');
  });
});
