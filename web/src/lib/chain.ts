import { sha256Hex } from './sha256.ts';

/**
 * The operation hash chain, checked in the browser exactly as @opsloop/contracts defines it:
 * hash = sha256(canonical JSON of every envelope field but `hash`, prevHash included), and
 * each event's prevHash is the previous event's hash (null for the first). Duplicated here
 * rather than imported because contracts pulls in node:crypto; test/chain.test.ts holds the
 * two together on envelopes sealed by contracts itself.
 */
export interface StoredEnvelope {
  id: string;
  type: string;
  version: number;
  opId: string;
  occurredAt: string;
  actor: { kind: 'user' | 'service'; id: string };
  causationId: string | null;
  correlationId: string;
  traceparent: string | null;
  prevHash: string | null;
  hash: string;
  payload: unknown;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

export function envelopeHash(envelope: StoredEnvelope): string {
  const { hash: _hash, ...rest } = envelope;
  return sha256Hex(canonicalJson(rest));
}

export type ChainResult =
  | { ok: true; count: number; head: string | null }
  | { ok: false; index: number; eventId: string; reason: string };

export function verifyChain(events: readonly StoredEnvelope[]): ChainResult {
  let prev: string | null = null;
  for (const [index, event] of events.entries()) {
    if (event.prevHash !== prev) {
      return {
        ok: false,
        index,
        eventId: event.id,
        reason: `event ${index + 1} does not follow event ${index} (its prevHash is ${short(event.prevHash)}, expected ${short(prev)}): an event is missing, inserted or out of order`,
      };
    }
    const actual = envelopeHash(event);
    if (actual !== event.hash) {
      return {
        ok: false,
        index,
        eventId: event.id,
        reason: `event ${index + 1} was modified: its content hashes to ${short(actual)}, not ${short(event.hash)}`,
      };
    }
    prev = event.hash;
  }
  return { ok: true, count: events.length, head: prev };
}

const short = (hash: string | null): string => (hash === null ? 'none' : hash.slice(0, 12));

/** NDJSON: one stored envelope per line, exactly as the events endpoint returned it. */
export function toNdjson(events: readonly StoredEnvelope[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n') + (events.length ? '\n' : '');
}
