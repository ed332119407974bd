import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';

/** Operation ids are one NATS subject token: no dots, wildcards or whitespace. */
export const OpId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"');
export type OpId = z.infer<typeof OpId>;

export const Actor = z.object({
  kind: z.enum(['user', 'service']),
  id: z.string().min(1).max(256),
});
export type Actor = z.infer<typeof Actor>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');
/** W3C trace context: version-traceid-parentid-flags. */
export const Traceparent = z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);

/**
 * The stored event envelope. Compiled with zod's ahead-of-time fast path because every
 * replayed event goes through it: a valid envelope is checked by generated straight-line
 * code, an invalid one falls back to zod's runtime parser, so what is accepted and every
 * error message stay zod's own (test/envelope-compiled.test.ts holds the two together).
 * Schemas derived from it (`.omit`, `.extend`) are ordinary, uncompiled zod schemas.
 */
export const Envelope = z.compile(
  z.object({
    id: z.string().min(1).max(128),
    type: z.string().min(1).max(64),
    version: z.number().int().positive(),
    opId: OpId,
    occurredAt: z.iso.datetime({ offset: true }),
    actor: Actor,
    /** The id of the event (or request) that caused this one; null for the first. */
    causationId: z.string().max(128).nullable(),
    /** Ties together everything done for one user request (usually the opId). */
    correlationId: z.string().min(1).max(128),
    traceparent: Traceparent.nullable(),
    /** The hash of the operation's previous event; null for its first event. */
    prevHash: Sha256.nullable(),
    hash: Sha256,
    payload: z.unknown(),
  }),
);
export type Envelope = z.infer<typeof Envelope>;

/** An envelope before it is sealed into the operation's hash chain. */
export type UnsealedEnvelope = Omit<Envelope, 'hash' | 'prevHash'>;

/** hash = sha256(canonical JSON of every envelope field but `hash`, including prevHash). */
export function envelopeHash(envelope: Omit<Envelope, 'hash'>): string {
  const { hash: _ignored, ...rest } = envelope as Envelope;
  return sha256Hex(canonicalJson(rest));
}

export function seal(envelope: UnsealedEnvelope, prevHash: string | null): Envelope {
  const withPrev = { ...envelope, prevHash };
  return { ...withPrev, hash: envelopeHash(withPrev) };
}
