import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Envelope, OpsEvents } from '../src/mod.ts';

/**
 * The envelope and the registry's payload schemas run on zod's compiled fast path. These
 * tests hold the compiled schemas to their definitions: on a corpus of valid events and of
 * mutations of them, both accept exactly the same values, produce the same output and,
 * on rejection, the same error message.
 */
const dir = new URL('./fixtures/events/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>);

/** Wrong values of every JSON kind, plus strings near the limits the schemas set. */
const oddities: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  '',
  'x',
  'x'.repeat(65),
  'x'.repeat(129),
  'x'.repeat(257),
  'a'.repeat(64),
  'A'.repeat(64),
  '2025-01-15T10:00:00Z',
  '2025-02-30T10:00:00Z',
  '2025-01-15 10:00:00',
  'op.with.dots',
  '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1',
  [],
  ['x'],
  {},
  { kind: 'robot', id: 'x' },
  { kind: 'user', id: '' },
];

/** `value` with the member at `key` replaced by each oddity, and removed, and one extra key. */
function mutations(value: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ ...value, extra: 'ignored' }];
  for (const key of Object.keys(value)) {
    const { [key]: _dropped, ...without } = value;
    out.push(without);
    for (const odd of oddities) out.push({ ...value, [key]: odd });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Mutations of the payload, one level deep and in nested objects and array items. */
function payloadMutations(payload: unknown): unknown[] {
  if (!isRecord(payload)) return [payload, ...oddities];
  const out: unknown[] = [payload, ...oddities, ...mutations(payload)];
  for (const [key, member] of Object.entries(payload)) {
    if (isRecord(member)) for (const m of mutations(member)) out.push({ ...payload, [key]: m });
    if (Array.isArray(member) && isRecord(member[0])) {
      for (const m of mutations(member[0]))
        out.push({ ...payload, [key]: [m, ...member.slice(1)] });
    }
  }
  return out;
}

function expectSameVerdict(compiled: z.ZodType, reference: z.ZodType, input: unknown) {
  const a = compiled.safeParse(input);
  const b = reference.safeParse(input);
  expect(a.success).toBe(b.success);
  if (a.success && b.success) expect(a.data).toStrictEqual(b.data);
  if (!a.success && !b.success) {
    expect(z.prettifyError(a.error)).toBe(z.prettifyError(b.error));
    expect(a.error.issues).toStrictEqual(b.error.issues);
  }
}

/** zod marks a schema carrying a compiled fast path; a derived schema carries none. */
const isCompiled = (schema: z.ZodType) => schema._zod.bag.fallbackRun !== undefined;

describe('compiled envelope', () => {
  // Deriving a schema from a compiled one gives an ordinary runtime-only schema.
  const reference = Envelope.extend({});

  it('is compiled, and the reference it is compared with is not', () => {
    expect(isCompiled(Envelope)).toBe(true);
    expect(isCompiled(reference)).toBe(false);
  });

  it('accepts and rejects exactly what the zod definition does, with the same errors', () => {
    let valid = 0;
    let invalid = 0;
    for (const fixture of fixtures) {
      for (const input of [fixture, ...mutations(fixture), ...oddities]) {
        expectSameVerdict(Envelope, reference, input);
        if (reference.safeParse(input).success) valid++;
        else invalid++;
      }
    }
    // The corpus must exercise both sides, or the comparison proves nothing.
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(1000);
  });
});

describe('compiled payload schemas of the registry', () => {
  it('accept and reject exactly what each definition does, with the same errors', () => {
    let valid = 0;
    let invalid = 0;
    let compiledCount = 0;
    for (const fixture of fixtures) {
      const type = fixture.type as string;
      const version = fixture.version as number;
      const definition = OpsEvents.definition(type)!;
      const compiled = OpsEvents.payloadSchema(type, version)!;
      const reference = definition.schemas[version]!;
      if (isCompiled(compiled)) compiledCount++;
      for (const input of payloadMutations(fixture.payload)) {
        expectSameVerdict(compiled, reference, input);
        if (reference.safeParse(input).success) valid++;
        else invalid++;
      }
    }
    // A schema zod cannot compile stays on its runtime parser; most of them compile.
    expect(compiledCount).toBeGreaterThan(fixtures.length / 2);
    expect(valid).toBeGreaterThan(23);
    expect(invalid).toBeGreaterThan(1000);
  });

  it('leave the definitions themselves untouched', () => {
    for (const type of OpsEvents.types()) {
      const definition = OpsEvents.definition(type)!;
      for (const schema of Object.values(definition.schemas))
        expect(isCompiled(schema)).toBe(false);
    }
  });
});

describe('EventRegistry.parse', () => {
  it('returns a new event and leaves the stored object as it was', () => {
    for (const fixture of fixtures) {
      const before = structuredClone(fixture);
      const event = OpsEvents.parse(fixture);
      expect(event).not.toBe(fixture);
      expect(fixture).toStrictEqual(before);
    }
  });
});
