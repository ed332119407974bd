import { describe, expect, it } from 'vitest';
import { ACTIONS, READ_TOOLS } from '@opsloop/kube-tools';
import { catalogLines, compactSchema, toolSpecs } from '../../src/model/schemas.ts';

describe('tool schemas for the model', () => {
  it('writes a long enum as examples, keeps a short one', () => {
    const kinds = Array.from({ length: 20 }, (_, i) => `Kind${i}`);
    const schema = compactSchema({
      type: 'object',
      properties: { kind: { type: 'string', enum: kinds }, verb: { enum: ['get', 'list'] } },
    }) as { properties: Record<string, { enum?: string[]; description?: string }> };
    expect(schema.properties.kind).toEqual({
      type: 'string',
      description: 'e.g. Kind0, Kind1, Kind2, Kind3, …',
    });
    expect(schema.properties.verb!.enum).toEqual(['get', 'list']);
  });

  it('the model still cannot pass a kind outside the read tools’ schema', () => {
    const spec = toolSpecs().find((t) => t.name === 'get_object')!;
    expect(JSON.stringify(spec.parameters)).not.toContain('MutatingWebhookConfiguration');
    const parsed = READ_TOOLS.get_object!.schema.safeParse({ kind: 'Pods', name: 'x' });
    expect(parsed.success).toBe(false);
  });

  it('cuts catalog descriptions at a word', () => {
    const words = new Set(Object.values(ACTIONS).flatMap((a) => a.description.split(/\s+/)));
    for (const line of catalogLines()) {
      if (!line.endsWith('…')) continue;
      const lastWord = line.slice(0, -1).split(/\s+/).at(-1)!;
      expect(words, line).toContain(lastWord);
    }
  });
});
