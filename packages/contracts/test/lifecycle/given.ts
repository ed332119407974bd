import { expect } from 'vitest';
import type { OpsError } from '../../src/mod.ts';
import {
  OpsEvents,
  decide,
  evolve,
  initialState,
  newEventFrom,
  seal,
  type Command,
  type OperationState,
  type OpsEvent,
  type PendingEvent,
} from '../../src/mod.ts';

export const NOW = new Date('2025-01-15T10:00:00.000Z');
export const OP_ID = 'op-1';

/** The id given(...) assigns to the i-th event of a history (0-based). */
export const eventId = (index: number) => `evt-${index}`;

/**
 * Turns decided events into stored ones the way the services will: enveloped with
 * newEvent, sealed into a hash chain, and read back through OpsEvents.parse.
 */
export function history(events: readonly PendingEvent[]): OpsEvent[] {
  let prevHash: string | null = null;
  return events.map((pending, index) => {
    const envelope = seal(
      newEventFrom(pending, {
        opId: OP_ID,
        actor: { kind: 'service', id: 'test' },
        causationId: index === 0 ? null : eventId(index - 1),
        correlationId: OP_ID,
        id: eventId(index),
        occurredAt: NOW.toISOString(),
      }),
      prevHash,
    );
    prevHash = envelope.hash;
    return OpsEvents.parse(JSON.parse(JSON.stringify(envelope)));
  });
}

type ErrorClass = abstract new (...args: never[]) => OpsError;

/** given(events).when(command).then(events) — Emmett-style, with no I/O. */
export function given(...events: PendingEvent[]) {
  const state: OperationState = history(events).reduce(evolve, initialState);
  return {
    state,
    when(command: Command, now: Date = NOW) {
      const run = () => decide(command, state, now);
      return {
        then(expected: PendingEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(errorClass: ErrorClass, code: string, message?: RegExp | string): OpsError {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(errorClass);
          const error = caught as OpsError;
          expect(error.code).toBe(code);
          if (message !== undefined) expect(error.message).toMatch(message);
          return error;
        },
      };
    },
  };
}
