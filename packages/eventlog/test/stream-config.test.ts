import { describe, expect, it } from 'vitest';
import { compareStreamConfig, opsStreamConfig, resolveStreamOptions } from '../src/mod.ts';

describe('compareStreamConfig', () => {
  const wanted = opsStreamConfig(resolveStreamOptions());

  it('accepts the config it creates, and a longer duplicate window', () => {
    expect(compareStreamConfig(wanted, wanted, 120_000)).toEqual([]);
    expect(
      compareStreamConfig(
        wanted,
        { ...wanted, duplicate_window: wanted.duplicate_window! * 10 },
        120_000,
      ),
    ).toEqual([]);
  });

  it('lists every field that breaks the guarantees, with expected and actual', () => {
    const actual = {
      ...wanted,
      storage: 'memory' as const,
      deny_purge: undefined, // servers omit false booleans
      duplicate_window: 1_000_000_000,
      max_age: 3600e9,
      subjects: ['ops.>'],
    };
    const fields = compareStreamConfig(wanted, actual, 120_000);
    expect(fields.map((m) => m.field).sort()).toEqual([
      'deny_purge',
      'duplicate_window',
      'max_age',
      'storage',
      'subjects',
    ]);
    expect(fields.find((m) => m.field === 'storage')).toEqual({
      field: 'storage',
      expected: 'file',
      actual: 'memory',
    });
    expect(fields.find((m) => m.field === 'deny_purge')).toEqual({
      field: 'deny_purge',
      expected: true,
      actual: false,
    });
  });
});
