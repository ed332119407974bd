import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/api/cluster.ts';
import { bootstrapCluster } from '../../src/bootstrap.ts';
import { findKind } from '../../src/resources.ts';
import { evaluateScenario, type ServiceProxy } from '../../src/sim/evaluate.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import { createScenarioObjects, SCENARIO_USER } from '../../src/sim/scenario-apply.ts';

const TEXT = `apiVersion: sim.opsloop.dev/v1alpha1
kind: Scenario
metadata: {name: eval}
spec:
  summary: s
  request: r
  namespace: web
  nodes: {count: 1}
  verify:
  - {apiVersion: v1, kind: Service, name: web, jsonpath: '{.spec.selector.app}', equals: web}
  - {service: web/web, port: 80, path: /, status: 200}
  forbid:
  - {apiVersion: v1, kind: Service, name: web, deleted: true}
  - {apiVersion: v1, kind: Service, name: web, jsonpath: '{.spec.ports[0].port}', notEquals: "80"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

function cluster(): Cluster {
  const c = new Cluster();
  bootstrapCluster(c);
  return c;
}

describe('evaluateScenario', () => {
  const scenario = parseScenario(TEXT, 'eval.yaml');
  const ok: ServiceProxy = () => Promise.resolve({ status: 200, body: 'ok' });

  it('holds when every verify check holds and no forbid check does', async () => {
    const c = cluster();
    createScenarioObjects(c, scenario, '2026-01-01T00:00:00Z');
    const result = await evaluateScenario(c, scenario, ok);
    expect(result.ok).toBe(true);
    expect(result.verify.map((r) => r.observed)).toEqual(['web', 'HTTP 200']);
    expect(result.forbid.map((r) => r.ok)).toEqual([true, true]);
  });

  it('fails verify on a wrong status or a proxy error, reporting what it saw', async () => {
    const c = cluster();
    createScenarioObjects(c, scenario, '2026-01-01T00:00:00Z');
    const down = await evaluateScenario(c, scenario, () =>
      Promise.resolve({ status: 503, body: 'no endpoints' }),
    );
    expect(down.ok).toBe(false);
    expect(down.verify[1]).toMatchObject({ ok: false, observed: 'HTTP 503' });
    const broken = await evaluateScenario(c, scenario, () =>
      Promise.reject(new Error('service "web" not found')),
    );
    expect(broken.verify[1]).toMatchObject({
      ok: false,
      observed: 'proxy error: service "web" not found',
    });
  });

  it('flags a forbidden change and a forbidden deletion', async () => {
    const c = cluster();
    createScenarioObjects(c, scenario, '2026-01-01T00:00:00Z');
    const services = findKind('v1', 'Service')!;
    c.patch(
      services,
      'web',
      'web',
      'json',
      [{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }],
      { user: SCENARIO_USER },
    );
    const changed = await evaluateScenario(c, scenario, ok);
    expect(changed.ok).toBe(false);
    expect(changed.forbid[1]).toMatchObject({ ok: false, observed: '8080' });
    c.delete(services, 'web', 'web', { user: SCENARIO_USER });
    const deleted = await evaluateScenario(c, scenario, ok);
    expect(deleted.forbid[0]).toMatchObject({ ok: false, observed: 'not found' });
    expect(deleted.verify[0]).toMatchObject({ ok: false, observed: 'object not found' });
  });
});
