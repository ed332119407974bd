import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/sha256.ts';

const node = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('matches node:crypto on edge lengths and non-ASCII text', () => {
    const inputs = [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'ü€😀 naïve',
      'x'.repeat(10_000),
    ];
    for (const input of inputs)
      expect(sha256Hex(input), JSON.stringify(input.slice(0, 20))).toBe(node(input));
  });

  it('matches node:crypto on random strings', () => {
    for (let i = 0; i < 200; i++) {
      const text = Array.from({ length: i * 3 }, () =>
        String.fromCharCode(32 + Math.floor(Math.random() * 2000)),
      ).join('');
      expect(sha256Hex(text)).toBe(node(text));
    }
  });
});
