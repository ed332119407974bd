import { randomUUID } from 'node:crypto';
import { EventRegistry, defineEvent, type UnsealedEnvelope } from '@opsloop/contracts';
import { z } from 'zod';

/**
 * A registry of its own: NATS permissions never look inside an event, so these tests do
 * not depend on the contracts' payloads. `ApprovalGranted` shares the real type's name
 * to show what the server can and cannot tell apart.
 */
export const Noted = defineEvent('Noted', z.object({ n: z.number().int(), by: z.string() }));
export const ApprovalGranted = defineEvent('ApprovalGranted', z.object({ planHash: z.string() }));
export const registry = new EventRegistry([Noted, ApprovalGranted]);

export function noted(
  opId: string,
  n: number,
  by: string,
  id: string = randomUUID(),
): UnsealedEnvelope {
  return {
    id,
    type: 'Noted',
    version: 1,
    opId,
    occurredAt: new Date().toISOString(),
    actor: { kind: 'service', id: by },
    causationId: null,
    correlationId: opId,
    traceparent: null,
    payload: { n, by },
  };
}
