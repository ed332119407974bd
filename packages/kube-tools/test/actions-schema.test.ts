import { describe, expect, it } from 'vitest';
import { DnsLabel, DnsSubdomain, isErrorCode } from '@opsloop/contracts';
import { ACTIONS, KubeErrorCode, actionJsonSchemas, validation } from '../src/mod.ts';
import { HOSTILE_KEYS, HOSTILE_STRINGS, VALID_ARGS } from './fixtures.ts';

/** Every path to a string leaf in a value, as [path, replacer] pairs. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** Map keys (labels, quota resources) are attack surface too: yield paths of record keys. */
function recordKeyPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => recordKeyPaths(item, [...path, i]));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const here = [
      'selector',
      'nodeSelector',
      'hard',
      'podSelector',
      'namespaceSelector',
      'requests',
    ].includes(String(path[path.length - 1]))
      ? [path]
      : [];
    return [...here, ...entries.flatMap(([k, v]) => recordKeyPaths(v, [...path, k]))];
  }
  return [];
}

function setAt(
  root: unknown,
  path: (string | number)[],
  replace: (old: unknown) => unknown,
): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  cur[last] = replace(cur[last]);
  return copy;
}

/** Label keys/values may legally be upper case or (values) empty. */
const LABEL_LEGAL = ['WEB', ''];
/** An env literal value is free text, so only what can break out of it is hostile there. */
const ENV_HOSTILE = HOSTILE_STRINGS.filter((h) => /[;`|<>\n\r\0]|\$\(|[^\x20-\x7e]/.test(h)).concat(
  ['x'.repeat(5000)],
);

function hostileFor(path: (string | number)[]): string[] {
  const last = String(path[path.length - 1]);
  if (path.includes('set') && last === 'value') return ENV_HOSTILE;
  // Upper case is how env names are usually written.
  if (path.includes('set') && last === 'name') return HOSTILE_STRINGS.filter((h) => h !== 'WEB');
  const labelish =
    path.some((p) =>
      ['selector', 'nodeSelector', 'podSelector', 'namespaceSelector'].includes(String(p)),
    ) ||
    (path.includes('tolerations') && (last === 'key' || last === 'value'));
  return labelish ? HOSTILE_STRINGS.filter((h) => !LABEL_LEGAL.includes(h)) : HOSTILE_STRINGS;
}

describe('action argument schemas', () => {
  it('cover the whole catalog with a valid example that parses', () => {
    expect(Object.keys(VALID_ARGS).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [name, args] of Object.entries(VALID_ARGS)) {
      const result = ACTIONS[name]!.schema.safeParse(args);
      expect(result.success, `${name}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });

  it('reject 100% of the hostile fuzz set in every string field, map key and extra key', () => {
    let attempts = 0;
    const accepted: string[] = [];
    for (const [name, valid] of Object.entries(VALID_ARGS)) {
      const schema = ACTIONS[name]!.schema;
      const cases: unknown[] = [];
      for (const path of stringLeaves(valid)) {
        // Enum-valued strings (kind, probe, direction, protocol, operator) are covered too.
        for (const hostile of hostileFor(path)) cases.push(setAt(valid, path, () => hostile));
      }
      for (const path of recordKeyPaths(valid)) {
        for (const hostile of HOSTILE_STRINGS.filter((h) => !LABEL_LEGAL.includes(h))) {
          cases.push(setAt(valid, path, (old) => ({ ...(old as object), [hostile]: 'x' })));
        }
      }
      for (const [key, value] of Object.entries(HOSTILE_KEYS))
        cases.push({ ...valid, [key]: value });
      for (const c of cases) {
        attempts += 1;
        if (schema.safeParse(c).success) accepted.push(`${name}: ${JSON.stringify(c)}`);
      }
    }
    expect(accepted).toEqual([]);
    // The count is part of the claim: this many hostile inputs, all refused.
    expect(attempts).toBeGreaterThan(1500);
    console.info(`hostile argument sets rejected: ${attempts}/${attempts}`);
  });

  it('refuse protected names in numeric and structural fields', () => {
    expect(
      ACTIONS.ScaleWorkload!.schema.safeParse({ ...VALID_ARGS.ScaleWorkload, replicas: 1e9 })
        .success,
    ).toBe(false);
    expect(
      ACTIONS.ScaleWorkload!.schema.safeParse({ ...VALID_ARGS.ScaleWorkload, replicas: '3' })
        .success,
    ).toBe(false);
    expect(
      ACTIONS.ScaleWorkload!.schema.safeParse({ ...VALID_ARGS.ScaleWorkload, kind: 'Pod' }).success,
    ).toBe(false);
    expect(
      ACTIONS.SetProbe!.schema.safeParse({ ...VALID_ARGS.SetProbe, path: '/../admin' }).success,
    ).toBe(false);
    expect(
      ACTIONS.SetContainerEnv!.schema.safeParse({
        ...VALID_ARGS.SetContainerEnv,
        set: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      }).success,
    ).toBe(false);
    expect(
      ACTIONS.SetContainerEnv!.schema.safeParse({
        ...VALID_ARGS.SetContainerEnv,
        set: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.containers[0].command' } } }],
      }).success,
    ).toBe(false);
  });

  it('accept realistic values', () => {
    const ok = (name: string, patch: Record<string, unknown>) =>
      ACTIONS[name]!.schema.safeParse({ ...VALID_ARGS[name], ...patch }).success;
    expect(ok('SetImage', { image: 'nginx:1.27' })).toBe(true);
    expect(ok('SetImage', { image: 'localhost:5000/team/app@sha256:' + 'a'.repeat(64) })).toBe(
      true,
    );
    expect(ok('SetImage', { image: 'Nginx:1.27' })).toBe(false);
    expect(ok('SetContainerResources', { limits: { memory: '1Gi', cpu: null } })).toBe(true);
    expect(ok('SetContainerResources', { limits: { memory: '1 Gi' } })).toBe(false);
    expect(ok('PatchServicePort', { port: 'http', targetPort: 'http' })).toBe(true);
    expect(
      ok('SetContainerEnv', {
        set: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
      }),
    ).toBe(true);
  });

  it('export a JSON Schema for every action, strict about extra keys', () => {
    const schemas = actionJsonSchemas();
    expect(schemas.map((s) => s.name).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const s of schemas)
      expect((s.parameters as { additionalProperties?: unknown }).additionalProperties).toBe(false);
  });
});

describe('one vocabulary for Kubernetes names', () => {
  it("kube-tools' name validators are contracts' kube-names, not copies", () => {
    expect(validation.Name).toBe(DnsSubdomain);
    expect(validation.Namespace).toBe(DnsLabel);
    expect(validation.ContainerName).toBe(DnsLabel);
    // So a name a plan may carry (contracts' StepTarget) is exactly one an action accepts.
    for (const name of ['web', 'a.b-c', 'A', 'web_1', '-web', 'x'.repeat(254)])
      expect(validation.Name.safeParse(name).success).toBe(DnsSubdomain.safeParse(name).success);
  });
});

describe('error codes', () => {
  it("every code kube-tools raises is in contracts' one registry", () => {
    for (const code of Object.values(KubeErrorCode))
      expect([code, isErrorCode(code)]).toEqual([code, true]);
  });
});
