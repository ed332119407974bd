import { seal, type Envelope } from '@opsloop/contracts';
import { describe, expect, it } from 'vitest';
import { HashChainBrokenError, verifyChain } from '../src/mod.ts';
import { counted } from './fixtures.ts';

function chain(length: number, opId = 'op-1'): Envelope[] {
  const out: Envelope[] = [];
  for (let n = 1; n <= length; n++)
    out.push(seal(counted(opId, n, `e${n}`), out.at(-1)?.hash ?? null));
  return out;
}

function breakAt(events: unknown[]): HashChainBrokenError {
  try {
    verifyChain(events);
  } catch (err) {
    if (err instanceof HashChainBrokenError) return err;
    throw err;
  }
  throw new Error('the chain verified');
}

describe('verifyChain (pure)', () => {
  it('accepts an intact chain and an empty one', () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ length: 5, headHash: events[4]!.hash });
    expect(verifyChain([])).toEqual({ length: 0, headHash: null });
    // An exported trail goes through JSON and back.
    expect(verifyChain(JSON.parse(JSON.stringify(events)) as unknown[]).length).toBe(5);
  });

  it('finds a modified event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, payload: { n: 999, note: 'n=3' } };
    const err = breakAt(events);
    expect(err.code).toBe('OPS_ERR_HASH_CHAIN_BROKEN');
    expect([err.position, err.reason, err.details.eventId]).toEqual([3, 'hash-mismatch', 'e3']);
  });

  it('finds a modified event even when its hash was recomputed (the next link breaks)', () => {
    const events = chain(5);
    const { hash: _h, ...rest } = events[1]!;
    events[1] = seal({ ...rest, payload: { n: 2, note: 'forged' } }, rest.prevHash);
    expect([breakAt(events).position, breakAt(events).reason]).toEqual([3, 'prev-hash-mismatch']);
  });

  it('finds a dropped event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect([breakAt(events).position, breakAt(events).reason]).toEqual([2, 'prev-hash-mismatch']);
    expect(breakAt(chain(3).slice(1)).position).toBe(1); // the first one dropped
  });

  it('finds reordered events', () => {
    const events = chain(5);
    [events[2], events[3]] = [events[3]!, events[2]!];
    expect([breakAt(events).position, breakAt(events).details.eventId]).toEqual([3, 'e4']);
  });

  it('finds a foreign event and garbage', () => {
    const events: unknown[] = chain(3);
    events.push(seal(counted('op-2', 4, 'x'), (events[2] as Envelope).hash));
    expect(breakAt(events).reason).toBe('wrong-operation');
    expect(breakAt([...chain(2), { id: 'junk' }])).toMatchObject({
      position: 3,
      reason: 'invalid-envelope',
    });
  });
});
