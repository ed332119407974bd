import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { seal } from '@opsloop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  EventLog,
  HashChainBrokenError,
  OP_VERSION_HEADER,
  StreamConfigMismatchError,
} from '../src/mod.ts';
import { counted, harness, testRegistry, type Harness } from './fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h?.close());

async function streamMessages() {
  const jsm = await jetstreamManager(h.nc);
  return (await jsm.streams.info('OPS')).state.messages;
}

describe('EventLog against nats-server', () => {
  it('appends with versions and a hash chain, and reads the events back', async () => {
    const first = await h.log.append('op-a', [counted('op-a', 1), counted('op-a', 2)], 0);
    expect(first.version).toBe(2);
    const second = await h.log.append('op-a', [counted('op-a', 3)], 2);
    expect(second.version).toBe(3);
    expect(second.events[0]!.prevHash).toBe(first.events[1]!.hash);

    const read = await h.log.read('op-a');
    expect(read.events.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(read.version).toBe(3);
    expect(read.lastSequence).toBe(second.lastSequence);
    expect(await h.log.head('op-a')).toEqual({
      version: 3,
      lastSequence: second.lastSequence,
      hash: second.hash,
    });
    expect(await h.log.verifyChain('op-a')).toEqual({ length: 3, headHash: second.hash });
    expect(await h.log.read('op-never')).toEqual({
      events: [],
      positions: [],
      version: 0,
      lastSequence: 0,
    });
  });

  it('stores an event appended twice with the same id once (retry after a lost reply)', async () => {
    const before = await streamMessages();
    const event = counted('op-dedup', 1);
    const a = await h.log.append('op-dedup', [event], 0);
    const again = await h.log.append('op-dedup', [event], 0); // the caller's retry
    expect(again).toEqual(a);
    // A fresh log instance (no cache) retrying finds the same outcome.
    const other = new EventLog(jetstream(h.nc), await jetstreamManager(h.nc), testRegistry);
    expect((await other.append('op-dedup', [event], 0)).version).toBe(1);
    expect(await streamMessages()).toBe(before + 1);
    expect((await h.log.read('op-dedup')).events.map((e) => e.id)).toEqual([event.id]);
  });

  it('completes a retried multi-event append whose first attempt stored only a prefix', async () => {
    const events = [counted('op-part', 1), counted('op-part', 2), counted('op-part', 3)];
    await h.log.append('op-part', events.slice(0, 1), 0); // the first attempt got this far
    const retried = await h.log.append('op-part', events, 0);
    expect(retried.version).toBe(3);
    expect((await h.log.read('op-part')).events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    await h.log.verifyChain('op-part');
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    const jsm = await jetstreamManager(h.nc);
    const writers = [h.log, new EventLog(jetstream(h.nc), jsm, testRegistry)];
    for (let round = 0; round < 10; round++) {
      const opId = `op-race-${round}`;
      await h.log.append(opId, [counted(opId, 0)], 0);
      const results = await Promise.allSettled(
        writers.map((w, i) => w.append(opId, [counted(opId, 10 + i)], 1)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConcurrencyError);
      expect(lost[0]).toMatchObject({
        code: 'OPS_ERR_CONCURRENCY',
        retryable: true,
        expected: 1,
        actual: 2,
      });
      expect((await h.log.read(opId)).version).toBe(2);
    }
  });

  it('refuses an append at a stale version even from a warm cache', async () => {
    const other = new EventLog(jetstream(h.nc), await jetstreamManager(h.nc), testRegistry);
    await h.log.append('op-stale', [counted('op-stale', 1)], 0);
    await other.append('op-stale', [counted('op-stale', 2)], 1); // h.log's cache still says 1
    await expect(h.log.append('op-stale', [counted('op-stale', 3)], 1)).rejects.toMatchObject({
      code: 'OPS_ERR_CONCURRENCY',
      expected: 1,
      actual: 2,
    });
    await expect(h.log.append('op-stale', [counted('op-stale', 3)], 5)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });

  it('refuses events it cannot write', async () => {
    await expect(h.log.append('op-x', [counted('op-y', 1)], 0)).rejects.toMatchObject({
      code: 'OPS_ERR_INVALID_EVENT',
    });
    await expect(h.log.append('op-x', [{ ...counted('op-x', 1), version: 1 }], 0)).rejects.toThrow(
      /version 2/,
    );
    await expect(
      h.log.append('op-x', [{ ...counted('op-x', 1), payload: { n: 'x' } }], 0),
    ).rejects.toThrow(/payload/);
  });

  it('sets the traceparent and op version headers, and upcasts old versions on read', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { lastSequence } = await h.log.append(
      'op-trace',
      [{ ...counted('op-trace', 1), traceparent }],
      0,
    );
    const jsm = await jetstreamManager(h.nc);
    const stored = await jsm.streams.getMessage('OPS', { seq: lastSequence });
    expect(stored?.header.get('traceparent')).toBe(traceparent);
    expect(stored?.header.get(OP_VERSION_HEADER)).toBe('1');

    // A v1 event written by an older Opsloop (no `note`) reads as v2.
    const old = seal(
      { ...counted('op-trace', 2), version: 1, payload: { n: 2 } },
      (await h.log.head('op-trace')).hash,
    );
    const hdr = headers();
    hdr.set(OP_VERSION_HEADER, '2');
    await jetstream(h.nc).publish('ops.op.op-trace', JSON.stringify(old), { headers: hdr });
    const read = await h.log.read('op-trace');
    expect(read.events[1]).toMatchObject({ version: 2, payload: { n: 2, note: 'from v1' } });
    await h.log.verifyChain('op-trace'); // verified as stored, not as upcast
  });

  it('detects a tampered event written into the stream behind the log', async () => {
    const { events } = await h.log.append(
      'op-tamper',
      [counted('op-tamper', 1), counted('op-tamper', 2)],
      0,
    );
    const forged = { ...events[1]!, id: randomUUID(), payload: { n: 3, note: 'forged' } }; // hash left as is
    await jetstream(h.nc).publish('ops.op.op-tamper', JSON.stringify(forged));
    await expect(h.log.verifyChain('op-tamper')).rejects.toSatisfy(
      (e) => e instanceof HashChainBrokenError && e.position === 3 && e.reason === 'hash-mismatch',
    );
  });

  it('replays every operation in stream order', async () => {
    const seen: number[] = [];
    const last = await h.log.replayAll((_e, position) => {
      seen.push(position.sequence);
    });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(last).toBe(seen.at(-1));
    expect(seen.at(-1)).toBe(
      (await (await jetstreamManager(h.nc)).streams.info('OPS')).state.last_seq,
    );
  });
});

describe('ensureStream', () => {
  it('refuses to start on a stream with the wrong settings and says which', async () => {
    const jsm = await jetstreamManager(h.nc);
    await jsm.streams.add({ name: 'OPS_MEM', subjects: ['mem.op.*'], storage: StorageType.Memory });
    const opening = EventLog.open(h.nc, testRegistry, { name: 'OPS_MEM', subjectPrefix: 'mem.op' });
    await expect(opening).rejects.toBeInstanceOf(StreamConfigMismatchError);
    const err = (await opening.catch((e: unknown) => e)) as StreamConfigMismatchError;
    expect(err.code).toBe('OPS_ERR_STREAM_CONFIG_MISMATCH');
    expect(err.mismatches.map((m) => m.field).sort()).toEqual([
      'deny_delete',
      'deny_purge',
      'storage',
    ]);
    expect(err.message).toContain('storage: expected "file", found "memory"');
  });

  it('accepts the stream it created', async () => {
    await expect(EventLog.open(h.nc, testRegistry)).resolves.toBeInstanceOf(EventLog);
  });
});
