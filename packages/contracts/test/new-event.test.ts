import { describe, expect, it } from 'vitest';
import {
  InvalidEventError,
  OpsEvents,
  newEvent,
  newEventFrom,
  seal,
  type EventMeta,
} from '../src/mod.ts';

const meta: EventMeta = {
  opId: 'op-7',
  actor: { kind: 'user', id: 'alice@example.com' },
  causationId: null,
  correlationId: 'op-7',
};
const payload = {
  request: 'scale checkout to 5',
  requestedBy: 'alice@example.com',
  cluster: { id: 'kube-sim-local' },
};

describe('newEvent', () => {
  it('builds the latest version with a random UUID and the current time', () => {
    const before = Date.now();
    const a = newEvent('OperationRequested', payload, meta);
    const b = newEvent('OperationRequested', payload, meta);
    expect(a).toMatchObject({
      type: 'OperationRequested',
      version: 1,
      opId: 'op-7',
      traceparent: null,
      payload,
    });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(Date.parse(a.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(a).not.toHaveProperty('hash');
  });

  it('keeps a given id, time and traceparent, and round-trips through seal and parse', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = newEvent('OperationRequested', payload, {
      ...meta,
      id: 'req-1',
      occurredAt: '2025-01-15T10:00:00.000Z',
      traceparent,
    });
    const read = OpsEvents.parse(JSON.parse(JSON.stringify(seal(event, null))));
    expect(read).toMatchObject({ id: 'req-1', traceparent, payload });
  });

  it('refuses an invalid payload with an InvalidEventError naming the field', () => {
    const bad = { ...payload, namespace: 'Not_A_Namespace' };
    expect(() => newEvent('OperationRequested', bad, meta)).toThrow(InvalidEventError);
    expect(() => newEvent('OperationRequested', bad, meta)).toThrow(
      /^cannot write OperationRequested: invalid payload: .*\n.*→ at namespace/s,
    );
  });

  it('refuses invalid envelope fields (opId must be one subject token)', () => {
    expect(() => newEvent('OperationRequested', payload, { ...meta, opId: 'op.7' })).toThrow(
      /invalid envelope: .*→ at opId/s,
    );
  });

  it('newEventFrom envelopes what decide returned', () => {
    const event = newEventFrom(
      { type: 'StepStarted', payload: { stepIndex: 0, stepId: 's1' } },
      meta,
    );
    expect(event).toMatchObject({
      type: 'StepStarted',
      version: 1,
      payload: { stepIndex: 0, stepId: 's1' },
    });
  });
});
