import { describe, expect, it } from 'vitest';
import { CheckFailed, CheckPassed, checkCommand } from '@opsloop/contracts';
import { toVerdict } from '../src/mod.ts';

const spec = { name: 'PodsHealthy', args: { namespace: 'shop', selector: 'app=web' } };

describe('toVerdict: what a check saw always fits CheckPassed / CheckFailed', () => {
  it('drops undefined values, keeps JSON, caps a long message', () => {
    const verdict = toVerdict({
      passed: true,
      observed: { ready: 3, missing: undefined, at: new Date('2025-01-15T10:00:00Z') },
      message: 'x'.repeat(5000),
    });
    expect(verdict.observed).toEqual({ ready: 3, at: '2025-01-15T10:00:00.000Z' });
    expect(verdict.message).toHaveLength(2000);
    const { type, ...payload } = checkCommand(1, spec, verdict);
    expect(type).toBe('PassCheck');
    expect(CheckPassed.schema.safeParse(payload).success).toBe(true);
  });

  it('an empty message gets one; an unrecordable observation fails closed', () => {
    expect(toVerdict({ passed: false, observed: {}, message: ' ' }).message).toBe('failed');
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const verdict = toVerdict({ passed: true, observed: many, message: 'ok' });
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(/could not be recorded: at most 64 observed values/);
    const { type, ...payload } = checkCommand(0, spec, verdict);
    expect(type).toBe('FailCheck');
    expect(CheckFailed.schema.safeParse(payload).success).toBe(true);
  });
});
