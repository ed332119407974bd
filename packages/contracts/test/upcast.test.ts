import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventRegistry, InvalidEventError, defineEvent, seal, type EventOf } from '../src/mod.ts';

/**
 * The upcast mechanism, proven on a test-local event with three versions:
 * v1 {replicas: string}, v2 {replicas: number}, v3 {replicas: {from, to}}.
 */
const ScaledV1 = z.object({ replicas: z.string().regex(/^\d+$/) });
const ScaledV2 = z.object({ replicas: z.number().int() });
const ScaledV3 = z.object({
  replicas: z.object({ from: z.number().int().nullable(), to: z.number().int() }),
});

const Scaled = defineEvent('Scaled', ScaledV3, {
  schemas: { 1: ScaledV1, 2: ScaledV2 },
  upcasters: {
    1: (p) => ({ replicas: Number((p as z.infer<typeof ScaledV1>).replicas) }),
    2: (p) => ({ replicas: { from: null, to: (p as z.infer<typeof ScaledV2>).replicas } }),
  },
});
const registry = new EventRegistry([Scaled]);

function stored(version: number, payload: unknown) {
  return seal(
    {
      id: `e-v${version}`,
      type: 'Scaled',
      version,
      opId: 'op-1',
      occurredAt: '2025-01-15T10:00:00Z',
      actor: { kind: 'service', id: 'executor' },
      causationId: null,
      correlationId: 'op-1',
      traceparent: null,
      payload,
    },
    null,
  );
}

describe('upcasting', () => {
  it('numbers versions 1..latest', () => {
    expect(Scaled.latest).toBe(3);
    expect(Object.keys(Scaled.schemas)).toEqual(['1', '2', '3']);
  });

  it('reads v1, v2 and v3 all as v3', () => {
    const expected = { replicas: { from: null, to: 5 } };
    for (const [version, payload] of [
      [1, { replicas: '5' }],
      [2, { replicas: 5 }],
      [3, expected],
    ] as const) {
      const event: EventOf<typeof Scaled> = registry.parse(stored(version, payload));
      expect(event.version).toBe(3);
      expect(event.payload).toEqual(expected);
      expect(event.id).toBe(`e-v${version}`);
    }
  });

  it('validates the stored version before upcasting it', () => {
    expect(() => registry.parse(stored(1, { replicas: 5 }))).toThrow(
      /invalid Scaled v1 payload in event e-v1/,
    );
  });

  it('validates what an upcaster produces', () => {
    const Broken = defineEvent('Broken', ScaledV2, {
      schemas: { 1: ScaledV1 },
      upcasters: { 1: (p) => p },
    });
    const broken = new EventRegistry([Broken]);
    const read = () => broken.parse({ ...stored(1, { replicas: '5' }), type: 'Broken' });
    expect(read).toThrow(InvalidEventError);
    expect(read).toThrow(/invalid Broken v2 payload/);
  });

  it('refuses at definition time a history with a missing upcaster', () => {
    expect(() =>
      defineEvent('Gap', ScaledV3, {
        schemas: { 1: ScaledV1, 2: ScaledV2 },
        upcasters: { 1: (p) => p },
      }),
    ).toThrow(/v2 lacks one/);
  });
});

describe('PlanInvalidated v1 → v2', () => {
  it('reads a v1 event as "which guard failed was not recorded" (changedPath null)', async () => {
    const { OpsEvents } = await import('../src/mod.ts');
    const v1 = {
      stepIndex: 0,
      stepId: 's1',
      reason: 'changed',
      expectedResourceVersion: '1',
      actualResourceVersion: '2',
    };
    const { hash: _hash, ...fields } = stored(1, v1);
    const event = OpsEvents.parse(seal({ ...fields, type: 'PlanInvalidated' }, null));
    expect(event.version).toBe(2);
    expect(event.payload).toEqual({ ...v1, changedPath: null });
  });
});
