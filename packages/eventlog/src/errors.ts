import { ErrorCode, OpsError } from '@opsloop/contracts';

/**
 * Someone else appended to the operation first. Retryable: re-read the operation, decide
 * again on the new state, append at the new version.
 */
export class ConcurrencyError extends OpsError {
  readonly expected: number;
  readonly actual: number;

  constructor(opId: string, expected: number, actual: number, cause?: unknown) {
    super(
      ErrorCode.Concurrency,
      `operation ${opId} is at version ${actual}, the append expected version ${expected}; ` +
        're-read the operation and decide again',
      { retryable: true, cause, details: { opId, expected, actual } },
    );
    this.expected = expected;
    this.actual = actual;
  }
}

export interface ConfigMismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** The stream exists with settings Opsloop's guarantees depend on set otherwise. */
export class StreamConfigMismatchError extends OpsError {
  readonly mismatches: readonly ConfigMismatch[];

  constructor(stream: string, mismatches: ConfigMismatch[]) {
    const lines = mismatches.map(
      (m) =>
        `  ${m.field}: expected ${JSON.stringify(m.expected)}, found ${JSON.stringify(m.actual)}`,
    );
    super(
      ErrorCode.StreamConfigMismatch,
      `JetStream stream ${stream} exists with a configuration Opsloop cannot run on:\n${lines.join('\n')}\n` +
        `Fix the stream (nats stream edit ${stream}) where the field can be changed; storage cannot be ` +
        'changed in place: back up the stream, recreate it with the expected settings and restore. ' +
        'Refusing to start.',
      { details: { stream, mismatches } },
    );
    this.mismatches = mismatches;
  }
}

export type ChainBreak =
  'invalid-envelope' | 'wrong-operation' | 'hash-mismatch' | 'prev-hash-mismatch';

/** An operation's hash chain does not verify: an event was modified, dropped or reordered. */
export class HashChainBrokenError extends OpsError {
  readonly position: number;
  readonly reason: ChainBreak;

  constructor(position: number, reason: ChainBreak, explanation: string, eventId: string | null) {
    super(ErrorCode.HashChainBroken, `hash chain broken at event #${position}: ${explanation}`, {
      details: { position, reason, eventId },
    });
    this.position = position;
    this.reason = reason;
  }
}

/**
 * A read ended before the sequence the stream leader reported: the server the ordered
 * consumer was placed on (a replica that just restarted) had not caught up yet. Retryable.
 */
export class ReadIncompleteError extends OpsError {
  constructor(stream: string, reached: number, wanted: number) {
    super(
      ErrorCode.ReadIncomplete,
      `stream ${stream} was read up to sequence ${reached}, but its leader reports ${wanted}: ` +
        'the replica serving the read is behind; read again',
      { retryable: true, details: { stream, reached, wanted } },
    );
  }
}
