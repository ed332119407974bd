/**
 * Every scenario in the library parses, carries its documentation header, is accepted by
 * the API server's validation and admission (created into a real in-process Cluster, later
 * revisions applied as updates), and checks only objects the scenario defines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/api/cluster.ts';
import { bootstrapCluster } from '../../src/bootstrap.ts';
import { findKind } from '../../src/resources.ts';
import { evaluateScenario } from '../../src/sim/evaluate.ts';
import { listScenarios, loadScenario, scenarioPath } from '../../src/sim/scenario-load.ts';
import {
  createScenarioObjects,
  scenarioObjects,
  SCENARIO_USER,
} from '../../src/sim/scenario-apply.ts';
import { SimErrorCode } from '../../src/sim/errors.ts';
import { resolveImage } from '../../src/sim/catalog.ts';

const names = listScenarios();

describe('scenario library', () => {
  it('has at least 24 broken scenarios, the healthy baseline and the prompt-injection case', () => {
    expect(names).toContain('healthy-shop');
    expect(names).toContain('prompt-injection');
    expect(names).toContain('payment-api-selector-mismatch');
    expect(
      names.filter((n) => n !== 'healthy-shop' && n !== 'prompt-injection').length,
    ).toBeGreaterThanOrEqual(24);
    const namespaces = new Set(names.map((n) => loadScenario(n).spec.namespace));
    expect(namespaces.size).toBeGreaterThanOrEqual(6);
  });

  it('reports an unknown scenario name with the list of built-in ones', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(
      expect.objectContaining({ code: SimErrorCode.ScenarioNotFound }),
    );
    expect(() => loadScenario('no-such-scenario')).toThrow(/built-in scenarios: .*healthy-shop/);
  });

  it('gives healthy-shop at least 30 workloads', () => {
    const workloads = loadScenario('healthy-shop').stages[0]!.filter((o) =>
      ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'].includes(o.kind),
    );
    expect(workloads.length).toBeGreaterThanOrEqual(30);
  });

  it('has the stuck rollout as two revisions of the same Deployment', () => {
    const s = loadScenario('stuck-rollout-rollback');
    expect(s.stages.map((stage) => stage.map((o) => `${o.kind}/${o.metadata.name}`))[1]).toEqual([
      'Deployment/order-service',
    ]);
  });

  for (const name of names) {
    describe(name, () => {
      const scenario = loadScenario(name);
      const text = readFileSync(scenarioPath(name), 'utf8');

      it('documents the fault, the symptoms and the correct fix in its header', () => {
        const header = text.slice(0, text.indexOf('apiVersion:'));
        expect(header).toMatch(/^# Fault|^# Healthy/m);
        expect(header).toMatch(/^# Symptoms on a real cluster:/m);
        expect(header).toMatch(/^# Correct fix:/m);
        expect(scenario.name).toBe(name);
      });

      it('is accepted by the API server, including later revisions', () => {
        const cluster = new Cluster();
        bootstrapCluster(cluster);
        createScenarioObjects(cluster, scenario, '2026-01-01T00:00:00Z');
        for (const stage of scenario.stages.slice(1)) {
          for (const object of stage) {
            const resource = findKind(object.apiVersion, object.kind)!;
            const live = cluster.get(resource, object.metadata.namespace, object.metadata.name!)!;
            cluster.update(
              resource,
              {
                ...object,
                metadata: { ...object.metadata, resourceVersion: live.metadata.resourceVersion },
              },
              { user: SCENARIO_USER },
            );
          }
        }
        expect(cluster.list(findKind('v1', 'Node')!, undefined).length).toBeGreaterThan(0);
      });

      it('checks only objects it defines, and violates no forbid check in its initial state', async () => {
        const objects = scenarioObjects(scenario);
        const defined = new Set(
          objects.map(
            (o) =>
              `${o.kind}/${o.metadata.namespace ?? scenario.spec.namespace}/${o.metadata.name}`,
          ),
        );
        defined.add(`Namespace/${scenario.spec.namespace}/kube-system`);
        // The Endpoints controller creates one Endpoints object per Service.
        for (const key of [...defined])
          if (key.startsWith('Service/')) defined.add(key.replace('Service/', 'Endpoints/'));
        const mustExist = [
          ...scenario.spec.verify,
          ...scenario.spec.forbid.filter((c) => 'deleted' in c),
        ];
        for (const check of mustExist) {
          if ('service' in check) {
            const [ns, svc] = check.service.split('/');
            expect(defined.has(`Service/${ns}/${svc}`), check.service).toBe(true);
          } else {
            const key = `${check.kind}/${check.namespace ?? scenario.spec.namespace}/${check.name}`;
            expect(defined.has(key), key).toBe(true);
          }
        }
        const cluster = new Cluster();
        bootstrapCluster(cluster);
        createScenarioObjects(cluster, scenario, '2026-01-01T00:00:00Z');
        const result = await evaluateScenario(cluster, scenario, () =>
          Promise.resolve({ status: 503, body: '' }),
        );
        expect(result.forbid.filter((r) => !r.ok).map((r) => r.item)).toEqual([]);
        expect(result.ok).toBe(false);
      });

      it('uses images the simulation can resolve', () => {
        for (const object of scenarioObjects(scenario)) {
          const text = JSON.stringify(object);
          for (const match of text.matchAll(/"image":"([^"]+)"/g))
            expect(() => resolveImage(match[1]!, scenario.imageBehaviors)).not.toThrow();
        }
      });
    });
  }
});
