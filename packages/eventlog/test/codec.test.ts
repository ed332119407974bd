import { envelopeHash, seal } from '@opsloop/contracts';
import { describe, expect, it } from 'vitest';
import { decodeJson, sealAndEncode } from '../src/codec.ts';
import { counted } from './fixtures.ts';

describe('sealAndEncode', () => {
  it('stores exactly the envelope and hash that contracts seal() gives', () => {
    const first = counted('op-1', 1, 'e1');
    const prev = seal(first, null);
    for (const unsealed of [counted('op-1', 2), { ...counted('op-1', 3), causationId: prev.id }]) {
      const { envelope, bytes } = sealAndEncode(unsealed, prev.hash);
      const expected = seal(unsealed, prev.hash);
      expect(envelope).toEqual(expected);
      const stored = decodeJson(bytes) as typeof expected;
      expect(stored).toEqual(expected);
      expect(envelopeHash(stored)).toBe(stored.hash);
    }
    expect(sealAndEncode(first, null).envelope).toEqual(prev);
  });
});
