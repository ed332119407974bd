import { Envelope, envelopeHash } from '@opsloop/contracts';
import { HashChainBrokenError } from './errors.ts';

export interface ChainHead {
  /** Number of events verified. */
  length: number;
  /** Hash of the last event (null for an empty chain). */
  headHash: string | null;
}

/**
 * Verifies one operation's events, as stored (not upcast: upcasting changes the payload
 * and so the hash), in order. Position numbers are 1-based (= the op version of the event).
 *
 * Detects: a modified event (its hash no longer matches its content), a dropped or
 * reordered event (its prevHash is not the previous event's hash). It cannot detect events
 * cut off at the end: compare `length`/`headHash` with a trusted copy for that.
 * Throws HashChainBrokenError at the first bad position.
 */
export function verifyChain(rawEnvelopes: readonly unknown[]): ChainHead {
  let prevHash: string | null = null;
  let opId: string | null = null;
  let position = 0;
  for (const raw of rawEnvelopes) {
    position++;
    const parsed = Envelope.safeParse(raw);
    if (!parsed.success) {
      throw new HashChainBrokenError(
        position,
        'invalid-envelope',
        'not a valid event envelope',
        idOf(raw),
      );
    }
    const event = parsed.data;
    opId ??= event.opId;
    if (event.opId !== opId) {
      throw new HashChainBrokenError(
        position,
        'wrong-operation',
        `event ${event.id} belongs to operation ${event.opId}, not ${opId}`,
        event.id,
      );
    }
    if (envelopeHash(event) !== event.hash) {
      throw new HashChainBrokenError(
        position,
        'hash-mismatch',
        `event ${event.id} does not match its hash: it was modified after it was written`,
        event.id,
      );
    }
    if (event.prevHash !== prevHash) {
      throw new HashChainBrokenError(
        position,
        'prev-hash-mismatch',
        `event ${event.id} follows ${prevHash === null ? 'nothing' : prevHash.slice(0, 12)}, ` +
          `but records ${event.prevHash === null ? 'none' : event.prevHash.slice(0, 12)} as its predecessor: ` +
          'an event before it was dropped, inserted or reordered',
        event.id,
      );
    }
    prevHash = event.hash;
  }
  return { length: position, headHash: prevHash };
}

function idOf(raw: unknown): string | null {
  if (raw !== null && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string') {
    return (raw as { id: string }).id;
  }
  return null;
}
