import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Envelope, type Actor, type UnsealedEnvelope } from './envelope.ts';
import { InvalidEventError, UnknownEventTypeError } from './errors.ts';
import { OpsEvents, type OpsEventType, type PayloadOf, type PendingEvent } from './ops-events.ts';

const UnsealedShape = Envelope.omit({ hash: true, prevHash: true });

export interface EventMeta {
  opId: string;
  actor: Actor;
  causationId: string | null;
  correlationId: string;
  traceparent?: string | null;
  /** Defaults to a random UUID. Pass one to make a retried write deduplicate. */
  id?: string;
  /** Defaults to now. */
  occurredAt?: string;
}

/**
 * Builds an envelope for the latest version of `type`, ready to be sealed into the
 * operation's chain by the event log. The payload is validated here, so nothing invalid
 * is ever written; throws InvalidEventError naming the offending fields.
 */
export function newEvent<T extends OpsEventType>(
  type: T,
  payload: PayloadOf<T>,
  meta: EventMeta,
): UnsealedEnvelope {
  const definition = OpsEvents.definition(type);
  if (definition === undefined) throw new UnknownEventTypeError(type);
  const checked = definition.schema.safeParse(payload);
  if (!checked.success) {
    throw new InvalidEventError(
      `cannot write ${type}: invalid payload: ${z.prettifyError(checked.error)}`,
    );
  }
  const envelope: UnsealedEnvelope = {
    id: meta.id ?? randomUUID(),
    type,
    version: definition.latest,
    opId: meta.opId,
    occurredAt: meta.occurredAt ?? new Date().toISOString(),
    actor: meta.actor,
    causationId: meta.causationId,
    correlationId: meta.correlationId,
    traceparent: meta.traceparent ?? null,
    payload: checked.data,
  };
  const shape = UnsealedShape.safeParse(envelope);
  if (!shape.success) {
    throw new InvalidEventError(
      `cannot write ${type}: invalid envelope: ${z.prettifyError(shape.error)}`,
    );
  }
  return envelope;
}

/** newEvent for what `decide` returned. */
export function newEventFrom(pending: PendingEvent, meta: EventMeta): UnsealedEnvelope {
  return newEvent(pending.type, pending.payload, meta);
}
