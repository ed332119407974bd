// Shortcut "fixes" make the symptom go away but break what the team relies on; each
// scenario's `forbid` list must reject them even when every `verify` check holds.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { runScenario, type ScenarioRun } from './harness.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

async function scenario(name: string, body: (run: ScenarioRun) => Promise<void>): Promise<void> {
  const run = await runScenario(name);
  try {
    await body(run);
  } finally {
    await run.stop();
  }
}

/** Waits until the symptom is gone (every verify check holds) and returns the violated forbid items. */
async function violationsOnceVerified(run: ScenarioRun): Promise<unknown[]> {
  const result = await run.waitFor(
    'verify to hold',
    async () => {
      const r = await run.evaluate();
      return r.verify.every((v) => v.ok) && r;
    },
    40_000,
  );
  expect(result.ok).toBe(false);
  return result.forbid.filter((r) => !r.ok).map((r) => r.item);
}

describe('shortcut fixes are rejected by forbid', () => {
  it('readiness-probe-wrong-path: turning the HTTP probe into a TCP check', () =>
    scenario('readiness-probe-wrong-path', async (run) => {
      await run.apps.patchNamespacedDeployment(
        {
          name: 'search-api',
          namespace: run.namespace,
          body: [
            {
              op: 'replace',
              path: '/spec/template/spec/containers/0/readinessProbe',
              value: { tcpSocket: { port: 8080 } },
            },
          ],
        },
        jsonPatch,
      );
      expect(await violationsOnceVerified(run)).toEqual([
        expect.objectContaining({
          jsonpath: '{.spec.template.spec.containers[0].readinessProbe.httpGet}',
        }),
      ]);
    }));

  it('oomkilled: removing the memory limit', () =>
    scenario('oomkilled', async (run) => {
      await run.apps.patchNamespacedDeployment(
        {
          name: 'etl-worker',
          namespace: run.namespace,
          body: [{ op: 'remove', path: '/spec/template/spec/containers/0/resources/limits' }],
        },
        jsonPatch,
      );
      const result = await run.waitFor(
        'etl-worker available',
        async () => {
          const r = await run.evaluate();
          return r.verify[0]?.ok && r;
        },
        40_000,
      );
      expect(result.ok).toBe(false);
      expect(result.forbid.filter((r) => !r.ok).map((r) => r.item)).toEqual([
        expect.objectContaining({ description: 'memory limit removed' }),
      ]);
    }));

  it('resourcequota-exceeded: deleting the quota', () =>
    scenario('resourcequota-exceeded', async (run) => {
      await run.event('FailedCreate', /exceeded quota: analytics-quota/);
      await run.core.deleteNamespacedResourceQuota({
        name: 'analytics-quota',
        namespace: run.namespace,
      });
      expect(await violationsOnceVerified(run)).toEqual([
        expect.objectContaining({ kind: 'ResourceQuota', deleted: true }),
      ]);
    }));
});
