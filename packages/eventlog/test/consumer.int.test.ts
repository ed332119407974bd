import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { OpsError } from '@opsloop/contracts';
import { startTestTelemetry, traceparentOf } from '@opsloop/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consume, DeadLetterHeader, ProcessedIds } from '../src/mod.ts';
import { counted, harness, type Harness } from './fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h?.close());

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function deadLetters(subject: string) {
  const jsm = await jetstreamManager(h.nc);
  const out: { reason: string; code: string; sequence: string; data: string }[] = [];
  const info = await jsm.streams.info('OPS_DLQ');
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage('OPS_DLQ', { seq });
    if (m === null || m.subject !== subject) continue;
    out.push({
      reason: m.header.get(DeadLetterHeader.Reason),
      code: m.header.get(DeadLetterHeader.Code),
      sequence: m.header.get(DeadLetterHeader.Sequence),
      data: new TextDecoder().decode(m.data),
    });
  }
  return out;
}

describe('consume', () => {
  it('dead-letters poison and unknown-version events and keeps consuming', async () => {
    const opId = 'op-poison';
    const js = jetstream(h.nc);
    await h.log.append(opId, [counted(opId, 1)], 0);
    const garbage = await js.publish(`ops.op.${opId}`, 'not json {');
    const future = { ...counted(opId, 2), version: 9, hash: 'a'.repeat(64), prevHash: null };
    await js.publish(`ops.op.${opId}`, JSON.stringify(future));
    const after = counted(opId, 3);
    await h.log.append(opId, [after], 3);

    const handled: number[] = [];
    const c = await consume(h.log, {
      name: 'poison',
      filterSubject: `ops.op.${opId}`,
      handler: (e) => {
        handled.push(e.payload.n);
      },
    });
    await until(() => handled.length === 2 && c.stats.deadLettered === 2);
    await c.stop();
    expect(handled).toEqual([1, 3]);
    const dlq = await deadLetters('ops.dlq.poison');
    expect(dlq.map((d) => d.code)).toEqual([
      'OPS_ERR_INVALID_EVENT',
      'OPS_ERR_UNKNOWN_EVENT_VERSION',
    ]);
    expect(dlq[0]).toMatchObject({ sequence: String(garbage.seq), data: 'not json {' });
    expect(dlq[1]!.reason).toMatch(/version 9.*upgrade/);
  });

  it('retries a retryable failure with backoff, dead-letters after maxDeliver or a permanent failure', async () => {
    const opId = 'op-fail';
    const retry = counted(opId, 1);
    const fatal = counted(opId, 2);
    const fine = counted(opId, 3);
    await h.log.append(opId, [retry, fatal, fine], 0);
    const calls = new Map<string, number>();
    const c = await consume(h.log, {
      name: 'failing',
      filterSubject: `ops.op.${opId}`,
      maxDeliver: 3,
      backoffMs: () => 50,
      handler: (e) => {
        calls.set(e.id, (calls.get(e.id) ?? 0) + 1);
        if (e.id === retry.id) throw new Error('database unavailable');
        if (e.id === fatal.id) throw new OpsError('OPS_ERR_PLAN_HASH_MISMATCH', 'plan changed');
      },
    });
    await until(() => c.stats.deadLettered === 2 && c.stats.handled === 1);
    await c.stop();
    expect(Object.fromEntries(calls)).toEqual({ [retry.id]: 3, [fatal.id]: 1, [fine.id]: 1 });
    expect(c.stats.retried).toBe(2);
    const dlq = await deadLetters('ops.dlq.failing');
    expect(dlq.map((d) => d.code).sort()).toEqual([
      'OPS_ERR_HANDLER_FAILED',
      'OPS_ERR_PLAN_HASH_MISMATCH',
    ]);
    expect(dlq.find((d) => d.code === 'OPS_ERR_HANDLER_FAILED')!.reason).toContain(
      'failed on all 3 deliveries',
    );
  });

  it('skips an event recorded as processed (handler succeeded, then the process died before the ack)', async () => {
    const opId = 'op-recorded';
    const done = counted(opId, 1);
    const todo = counted(opId, 2);
    await h.log.append(opId, [done, todo], 0);
    await (await ProcessedIds.open(h.log.js, 'recorded')).record(done.id); // what the dead process left
    const handled: string[] = [];
    const c = await consume(h.log, {
      name: 'recorded',
      filterSubject: `ops.op.${opId}`,
      handler: (e) => {
        handled.push(e.id);
      },
    });
    await until(() => c.stats.handled + c.stats.skippedAlreadyProcessed === 2);
    await c.stop();
    expect(handled).toEqual([todo.id]);
  });

  it('resumes after nats-server is killed mid-consume: nothing lost, nothing handled twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const opId = `op-crash-${i}`;
      const events = [
        counted(opId, 1),
        counted(opId, 2),
        counted(opId, 3),
        counted(opId, 4),
        counted(opId, 5),
      ];
      await h.log.append(opId, events, 0);
      ids.push(...events.map((e) => e.id));
    }
    await new Promise((r) => setTimeout(r, 300)); // let the server write the store before the SIGKILL
    const handled: string[] = [];
    const c = await consume(h.log, {
      name: 'crash',
      filterSubject: 'ops.op.*',
      ackWaitMs: 2000,
      batch: 8,
      handler: async (e) => {
        if (!e.opId.startsWith('op-crash-')) return;
        await new Promise((r) => setTimeout(r, 5));
        handled.push(e.id);
      },
    });
    await until(() => handled.length >= 15);
    await h.server.kill();
    await new Promise((r) => setTimeout(r, 500));
    await h.server.start();
    await until(() => handled.length >= ids.length, 30_000);
    await new Promise((r) => setTimeout(r, 3000)); // longer than ackWait: redeliveries would show
    await c.stop();
    expect(handled.length).toBe(ids.length);
    expect([...handled].sort()).toEqual([...ids].sort());
  }, 60_000);

  it("continues the producer's trace in the consumer's span", async () => {
    const telemetry = startTestTelemetry({ serviceName: 'eventlog-test' });
    try {
      const opId = `op-trace-${randomUUID().slice(0, 8)}`;
      let producerTraceId = '';
      await telemetry.tracer.startActiveSpan('request', async (span) => {
        producerTraceId = span.spanContext().traceId;
        await h.log.append(opId, [{ ...counted(opId, 1), traceparent: traceparentOf() }], 0);
        span.end();
      });
      let inHandler: string | null = null;
      const c = await consume(h.log, {
        name: 'traced',
        filterSubject: `ops.op.${opId}`,
        handler: () => {
          inHandler = traceparentOf();
        },
      });
      await until(() => c.stats.handled === 1);
      await c.stop();
      const spans = telemetry.exporter.getFinishedSpans();
      const consumerSpan = spans.find((s) => s.name === 'Counted process');
      expect(consumerSpan?.spanContext().traceId).toBe(producerTraceId);
      expect(consumerSpan?.attributes['opsloop.op_id']).toBe(opId);
      expect(consumerSpan?.attributes['messaging.system']).toBe('nats');
      expect(inHandler).toContain(producerTraceId); // the handler runs inside the span
    } finally {
      await telemetry.shutdown();
    }
  });
});
