import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Plan, planHash, planHashInput, type Plan as PlanType } from '../src/mod.ts';
import { samplePlan } from './support/sample-plans.ts';

/** Rebuilds a value with every object's keys in reverse order (same data, other bytes). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}

/** Every leaf path of a JSON value, e.g. ['steps', 0, 'target', 'name']. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.entries(value);
    return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

function mutateAt(plan: PlanType, path: (string | number)[]): PlanType {
  const copy = structuredClone(plan) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const old = node[last];
  node[last] =
    typeof old === 'number'
      ? old + 1
      : typeof old === 'boolean'
        ? !old
        : typeof old === 'string'
          ? `${old}x`
          : 1;
  return copy as unknown as PlanType;
}

describe('Plan schema', () => {
  it('accepts a realistic plan', () => {
    expect(Plan.parse(samplePlan())).toEqual(samplePlan());
  });

  it.each([
    [
      'target name not DNS-1123',
      (p: PlanType) => (p.steps[0]!.target.name = 'Check_Out'),
      /DNS-1123 subdomain/,
    ],
    [
      'namespace not a label',
      (p: PlanType) => (p.steps[0]!.target.namespace = 'shop.eu'),
      /DNS-1123 label/,
    ],
    [
      'action outside the catalog shape',
      (p: PlanType) => (p.steps[0]!.action = 'kubectl delete'),
      /catalog name/,
    ],
    ['duplicate step id', (p: PlanType) => (p.steps[1]!.id = 's1'), /duplicate step id/],
    ['no steps', (p: PlanType) => (p.steps = []), /too small|>=1/],
    [
      '51 steps',
      (p: PlanType) =>
        (p.steps = Array.from({ length: 51 }, (_, i) => ({ ...p.steps[0]!, id: `s${i}` }))),
      /too big|<=50/,
    ],
    ['unknown risk', (p: PlanType) => ((p.steps[0] as { risk: string }).risk = 'yolo'), /risk/],
    ['oversized summary', (p: PlanType) => (p.steps[0]!.summary = 'x'.repeat(501)), /summary/],
  ])('rejects %s', (_name, mutate, message) => {
    const plan = samplePlan();
    mutate(plan);
    const result = Plan.safeParse(plan);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });

  it('allows cluster-scoped targets (namespace null)', () => {
    const plan = samplePlan();
    plan.steps[0]!.target = {
      apiVersion: 'v1',
      kind: 'Node',
      namespace: null,
      name: 'node-1.zone-a',
      resourceVersion: '7',
    };
    expect(Plan.safeParse(plan).success).toBe(true);
  });
});

describe('planHash', () => {
  it('is a sha256 hex that does not depend on key order', () => {
    const plan = samplePlan();
    expect(planHash(plan)).toMatch(/^[0-9a-f]{64}$/);
    expect(planHash(reverseKeys(plan) as PlanType)).toBe(planHash(plan));
  });

  it('is pinned: the plan of the shipped PlanProposed fixture still hashes to its stored hash', () => {
    // Approvals stored in the log name these hashes; changing the algorithm would orphan them.
    const fixture = JSON.parse(
      readFileSync(new URL('./fixtures/events/PlanProposed.v1.json', import.meta.url), 'utf8'),
    ) as { payload: { plan: PlanType; planHash: string } };
    expect(planHash(fixture.payload.plan)).toBe(fixture.payload.planHash);
    expect(fixture.payload.planHash).toMatch(/^036f3cd302bdb34a/);
  });

  it('changes when any bound field changes (every leaf of the hash input)', () => {
    const plan = samplePlan();
    const bound = leafPaths(planHashInput(plan)).filter(
      (path) => path[0] !== 'steps' || path[2] !== undefined,
    );
    const inPlan = bound.filter((path) => !(path[2] === 'patch' && path.length === 3));
    expect(inPlan.length).toBeGreaterThan(25);
    for (const path of inPlan) {
      expect(planHash(mutateAt(plan, path)), path.join('.')).not.toBe(planHash(plan));
    }
  });

  it('changes with step order, an added or removed step, and an added or removed patch', () => {
    const plan = samplePlan();
    const base = planHash(plan);
    expect(planHash({ ...plan, steps: [...plan.steps].reverse() })).not.toBe(base);
    expect(planHash({ ...plan, steps: plan.steps.slice(0, 1) })).not.toBe(base);
    expect(planHash({ ...plan, steps: [...plan.steps, { ...plan.steps[0]!, id: 's3' }] })).not.toBe(
      base,
    );
    const { patch: _patch, ...withoutPatch } = plan.steps[0]!;
    expect(planHash({ ...plan, steps: [withoutPatch, plan.steps[1]!] })).not.toBe(base);
  });

  it('ignores the free prose (rationale, step summary), which the event hash chain protects', () => {
    const plan = samplePlan();
    const reworded = structuredClone(plan);
    reworded.rationale = 'other words';
    reworded.steps[0]!.summary = 'other words';
    expect(planHash(reworded)).toBe(planHash(plan));
  });
});
