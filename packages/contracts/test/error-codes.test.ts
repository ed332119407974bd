import { describe, expect, it } from 'vitest';
import { ERROR_CODE_MEANING, ErrorCode, ErrorInfo, isErrorCode } from '../src/mod.ts';

describe('the one registry of error codes', () => {
  it('gives every code one name and one meaning, and fits ErrorInfo.code', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(ERROR_CODE_MEANING).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(code).toMatch(/^OPS_ERR_[A-Z0-9_]+$/);
      expect(ErrorInfo.shape.code.safeParse(code).success).toBe(true);
      expect(ERROR_CODE_MEANING[code].length).toBeGreaterThan(10);
    }
  });

  it('isErrorCode tells registered codes from anything else', () => {
    expect(isErrorCode('OPS_ERR_TARGET_DRIFTED')).toBe(true);
    expect(isErrorCode('OPS_ERR_MADE_UP')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
