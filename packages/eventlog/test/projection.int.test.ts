import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpsEvents, newEvent, type OpsEventType, type PayloadOf } from '@opsloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventLog,
  ProjectionRunner,
  operationSummaryProjection,
  type Projection,
} from '../src/mod.ts';
import { counted, harness, type Harness } from './fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h?.close());

type Tally = { count: number; sum: number; notes: string[] };
const tally: Projection<Parameters<Parameters<Harness['log']['replayAll']>[0]>[0], Tally> = {
  name: 'tally',
  initial: () => ({ count: 0, sum: 0, notes: [] }),
  apply: (s, e) => ({
    count: s.count + 1,
    sum: s.sum + e.payload.n,
    notes: [...s.notes, e.payload.note],
  }),
};

async function appendRound(round: number, ops: number) {
  await Promise.all(
    Array.from({ length: ops }, async (_, i) => {
      const opId = `op-${i}`;
      const { version } = await h.log.head(opId);
      await h.log.append(opId, [counted(opId, round * 10 + i), counted(opId, round)], version);
    }),
  );
}

describe('ProjectionRunner', () => {
  it('keeps a live read model that equals a rebuild from the stream, and resumes from its checkpoint', async () => {
    const live = await ProjectionRunner.open(h.log, tally, { bucket: 'tally_live' });
    await live.start();
    await appendRound(1, 20);
    await appendRound(2, 20);
    const { lastSequence } = await h.log.append('op-late', [counted('op-late', 7)], 0);
    await live.waitFor(lastSequence);
    await live.stop();

    const rebuilt = await ProjectionRunner.rebuild(h.log, tally, { bucket: 'tally_rebuilt' });
    const liveRows = await live.all();
    expect(liveRows.size).toBe(21);
    expect(await rebuilt.all()).toEqual(liveRows);
    expect(await live.get('op-3')).toEqual({
      count: 4,
      sum: 13 + 1 + 23 + 2,
      notes: ['n=13', 'n=1', 'n=23', 'n=2'],
    });

    // The same fold done in memory by replayAll gives the same rows.
    const folded = new Map<string, Tally>();
    await h.log.replayAll((e) => {
      folded.set(e.opId, tally.apply(folded.get(e.opId) ?? tally.initial(e.opId), e));
    });
    expect(folded).toEqual(liveRows);

    // A new runner on the live bucket resumes at the checkpoint: nothing is applied twice.
    await appendRound(3, 5);
    const resumed = await ProjectionRunner.open(h.log, tally, { bucket: 'tally_live' });
    expect(resumed.lastSequence).toBe(lastSequence);
    await resumed.catchUp();
    const again = await ProjectionRunner.rebuild(h.log, tally, { bucket: 'tally_rebuilt' });
    expect(await resumed.all()).toEqual(await again.all());
    expect((await resumed.get('op-3'))?.count).toBe(6);
  });
});

/** Golden fixtures of contracts, upcast to the latest payload: realistic lifecycle events. */
function samplePayload<T extends OpsEventType>(type: T): PayloadOf<T> {
  const dir = fileURLToPath(
    new URL('../test/fixtures/events/', import.meta.resolve('@opsloop/contracts')),
  );
  const raw: unknown = JSON.parse(readFileSync(`${dir}${type}.v1.json`, 'utf8'));
  return OpsEvents.parse(raw).payload as PayloadOf<T>;
}

describe('operation-summary projection', () => {
  it('summarizes each operation with the lifecycle evolve, live and rebuilt alike', async () => {
    const log = await EventLog.open(h.nc, OpsEvents, {
      name: 'OPS_LIFE',
      subjectPrefix: 'life.op',
    });
    const live = await ProjectionRunner.open(log, operationSummaryProjection, {
      bucket: 'life_summary',
    });
    await live.start();
    const lifecycle: OpsEventType[] = [
      'OperationRequested',
      'ContextGathered',
      'DiagnosisRecorded',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionStarted',
      'StepStarted',
      'StepSucceeded',
    ];
    const meta = (opId: string, minute: number) => ({
      opId,
      actor: { kind: 'service' as const, id: 'test' },
      causationId: null,
      correlationId: opId,
      occurredAt: `2025-01-15T10:${String(minute).padStart(2, '0')}:00.000Z`,
    });
    let last = 0;
    for (const [opId, upTo] of [
      ['op-full', lifecycle.length],
      ['op-early', 4],
    ] as const) {
      const events = lifecycle
        .slice(0, upTo)
        .map((type, i) => newEvent(type, samplePayload(type), meta(opId, i)));
      last = (await log.append(opId, events, 0)).lastSequence;
    }
    await live.waitFor(last);
    await live.stop();

    const full = await live.get('op-full');
    expect(full).toMatchObject({
      opId: 'op-full',
      phase: 'executing',
      request: samplePayload('OperationRequested').request,
      requestedBy: 'alice@example.com',
      planHash: samplePayload('PlanProposed').planHash,
      planKind: 'remediation',
      approvedBy: 'bob@example.com',
      steps: { total: 2, succeeded: 1, failedStep: null },
      createdAt: '2025-01-15T10:00:00.000Z',
      updatedAt: '2025-01-15T10:07:00.000Z',
      eventCount: 8,
    });
    expect(await live.get('op-early')).toMatchObject({
      phase: 'awaiting_approval',
      approvedBy: null,
      eventCount: 4,
    });

    const rebuilt = await ProjectionRunner.rebuild(log, operationSummaryProjection, {
      bucket: 'life_summary_2',
    });
    expect(await rebuilt.all()).toEqual(await live.all());
  });
});
