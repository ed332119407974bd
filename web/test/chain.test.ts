import { describe, expect, it } from 'vitest';
import { verifyChain, toNdjson, type StoredEnvelope } from '../src/lib/chain.ts';
import { completed, proposed, selectorPlan } from './support/history.ts';

const sealed = (): StoredEnvelope[] =>
  completed(
    proposed('op-chain', 'rita', 'cluster-1'),
    'alan',
    selectorPlan('cluster-1'),
  ).sealed() as StoredEnvelope[];

describe('verifyChain (the console check of contracts’ hash chain)', () => {
  it('accepts a chain sealed by @opsloop/contracts, also after an NDJSON round trip', () => {
    const events = sealed();
    expect(verifyChain(events)).toMatchObject({ ok: true, count: events.length });
    const back = toNdjson(events)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredEnvelope);
    expect(verifyChain(back).ok).toBe(true);
  });

  it('names a modified, a dropped and a reordered event', () => {
    const modified = sealed();
    (modified[3]!.payload as { planHash: string }).planHash = 'f'.repeat(64);
    expect(verifyChain(modified)).toMatchObject({ ok: false, index: 3 });

    const dropped = sealed();
    dropped.splice(2, 1);
    expect(verifyChain(dropped)).toMatchObject({ ok: false, index: 2 });

    const reordered = sealed();
    [reordered[4], reordered[5]] = [reordered[5]!, reordered[4]!];
    expect(verifyChain(reordered)).toMatchObject({ ok: false, index: 4 });
  });
});
