import { canonicalJson, sha256Hex, type Envelope, type UnsealedEnvelope } from '@opsloop/contracts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Raw JSON of a stored event; throws SyntaxError on bad JSON (callers type the error). */
export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}

/** Header carrying the event's position in its operation (1-based), i.e. the op version after it. */
export const OP_VERSION_HEADER = 'Opsloop-Op-Version';

/**
 * `seal` and encode in one pass: the stored bytes are the canonical JSON the hash is taken
 * over, with `hash` added in front. Same envelope and same hash as contracts' `seal`
 * (a unit test holds the two together), with one canonicalisation and no second stringify:
 * this is most of the client CPU an append costs.
 */
export function sealAndEncode(
  unsealed: UnsealedEnvelope,
  prevHash: string | null,
): { envelope: Envelope; bytes: Uint8Array } {
  const withPrev = { ...unsealed, prevHash };
  const canonical = canonicalJson(withPrev);
  const hash = sha256Hex(canonical);
  return {
    envelope: { ...withPrev, hash },
    bytes: encoder.encode(`{"hash":"${hash}",${canonical.slice(1)}`),
  };
}
