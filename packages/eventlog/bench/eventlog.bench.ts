/**
 * Event log benchmark: one nats-server (testkit), one run, the log against raw JetStream.
 *   append:  EventLog.append (validation, hash chain, Nats-Msg-Id, expected-last-subject-
 *            sequence) vs js.publish of the same bytes; both sequential within an op and
 *            concurrent across ops (each op is its own subject).
 *   replay:  replayAll (read + parse + validate + upcast + fold) vs a raw ordered-consumer read.
 * Usage: npm run bench [-- --ops 2000 --per-op 10 --concurrency 64 --no-async-traces]
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EventRegistry, defineEvent, seal, type UnsealedEnvelope } from '@opsloop/contracts';
import { startNatsServer } from '@opsloop/testkit';
import { z } from 'zod';
import { EventLog, opsStreamConfig, resolveStreamOptions } from '../src/mod.ts';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '2000' },
    'per-op': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '64' },
    // nats.js captures a stack trace per request unless told not to: a client cost that
    // both sides pay; services may turn it off (see README, Performance).
    'no-async-traces': { type: 'boolean', default: false },
  },
});
const OPS = Number(values.ops);
const PER_OP = Number(values['per-op']);
const CONCURRENCY = Number(values.concurrency);
const TOTAL = OPS * PER_OP;
/** Linux USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS = 100;
const decoder = new TextDecoder();

// A payload shaped and sized like a step event (~0.6 KB envelope).
const StepRecorded = defineEvent(
  'StepRecorded',
  z.object({
    stepIndex: z.number().int(),
    target: z.object({
      kind: z.string(),
      namespace: z.string(),
      name: z.string(),
      resourceVersion: z.string(),
    }),
    summary: z.string().max(2000),
    labels: z.record(z.string(), z.string()),
  }),
);
const registry = new EventRegistry([StepRecorded]);

function event(opId: string, i: number): UnsealedEnvelope {
  return {
    id: randomUUID(),
    type: 'StepRecorded',
    version: 1,
    opId,
    occurredAt: new Date().toISOString(),
    actor: { kind: 'service', id: 'executor' },
    causationId: null,
    correlationId: opId,
    traceparent: null,
    payload: {
      stepIndex: i,
      target: {
        kind: 'Deployment',
        namespace: 'shop',
        name: `checkout-${i}`,
        resourceVersion: String(4711 + i),
      },
      summary:
        `scaled deployment shop/checkout-${i} from 2 to 5 replicas; rollout observed healthy `.repeat(
          3,
        ),
      labels: { app: 'checkout', team: 'shop-team', tier: 'backend' },
    },
  };
}

interface Measured {
  /** Events per second (wall clock). */
  rate: number;
  /** CPU spent per event, µs: this process, and the nats-server process. */
  clientMicros: number;
  serverMicros: number;
}

/** Runs `perOp(opIndex)` for every op with CONCURRENCY ops in flight. */
async function timed(perOp: (op: number) => Promise<void>): Promise<Measured> {
  let next = 0;
  return measure(TOTAL, () =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < OPS) await perOp(next++);
      }),
    ),
  );
}

/** Wall time and the CPU of both processes around `work`, per event. */
async function measure(events: number, work: () => Promise<unknown>): Promise<Measured> {
  const client = process.cpuUsage();
  const serverStart = serverCpuMicros();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(client);
  return {
    rate: events / seconds,
    clientMicros: (used.user + used.system) / events,
    serverMicros: (serverCpuMicros() - serverStart) / events,
  };
}

const server = await startNatsServer();
const serverPid = findServerPid(server.port);
const nc = await connect({ servers: server.url, noAsyncTraces: values['no-async-traces'] });
try {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const log = await EventLog.open(nc, registry);
  // The raw baseline stream has the same settings, on other subjects.
  await jsm.streams.add(
    opsStreamConfig(resolveStreamOptions({ name: 'RAW', subjectPrefix: 'raw.op' })),
  );

  // Warm up both paths (JIT, connections) on throwaway ops.
  for (let i = 0; i < 200; i++) {
    await log.append(`warm-${i}`, [event(`warm-${i}`, 0)], 0);
    await js.publish(`raw.op.warm-${i}`, JSON.stringify(seal(event(`warm-${i}`, 0), null)));
  }

  // Two rounds, alternating raw and log on fresh ops, best of each: the machine is shared
  // and a burst of load on one side would otherwise decide the ratio.
  const ROUNDS = 2;
  const faster = (a: Measured | undefined, b: Measured) =>
    a === undefined || b.rate > a.rate ? b : a;
  let rawAppend: Measured | undefined;
  let logAppend: Measured | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    // The baseline publishes the very bytes the log stores, encoded before the clock starts.
    const rawBytes = Array.from({ length: OPS }, (_, op) => {
      let prev: string | null = null;
      return Array.from({ length: PER_OP }, (_, i) => {
        const sealed = seal(event(`r${round}-${op}`, i), prev);
        prev = sealed.hash;
        return new TextEncoder().encode(JSON.stringify(sealed));
      });
    });
    rawAppend = faster(
      rawAppend,
      await timed(async (op) => {
        for (const bytes of rawBytes[op]!) await js.publish(`raw.op.r${round}-${op}`, bytes);
      }),
    );
    // Events are the caller's to build; the clock measures the log (validate, seal, publish).
    const events = Array.from({ length: OPS }, (_, op) =>
      Array.from({ length: PER_OP }, (_, i) => event(`op${round}-${op}`, i)),
    );
    logAppend = faster(
      logAppend,
      await timed(async (op) => {
        const mine = events[op]!;
        for (let i = 0; i < PER_OP; i++) await log.append(`op${round}-${op}`, [mine[i]!], i);
      }),
    );
  }

  const lastSeq = (await jsm.streams.info('OPS')).state.last_seq;
  // Both reads are timed from before their consumer exists (replayAll creates its own), to
  // the last event; the raw read touches only what it needs to know where to stop.
  // With `parseJson`, the raw read also JSON.parses each message and nothing more: the
  // ceiling of any replay that decodes its events on this client.
  const rawRead = async (parseJson = false) => {
    let bytes = 0;
    const result = await measure(lastSeq, async () => {
      const consumer = await js.consumers.get('OPS', { deliver_policy: DeliverPolicy.All });
      const messages = await consumer.consume({ max_messages: 4096 }); // as replayAll
      for await (const m of messages) {
        bytes += m.data.length;
        if (parseJson) JSON.parse(decoder.decode(m.data));
        if (m.seq >= lastSeq) {
          messages.stop();
          break;
        }
      }
      void consumer.delete(); // as replayAll: not awaited
    });
    if (bytes === 0) throw new Error('raw read saw no data');
    return result;
  };
  const replay = async () => {
    const folded = new Map<string, { count: number; lastStep: number }>();
    const result = await measure(lastSeq, () =>
      log.replayAll((e) => {
        const s = folded.get(e.opId) ?? { count: 0, lastStep: -1 };
        folded.set(e.opId, { count: s.count + 1, lastStep: e.payload.stepIndex });
      }),
    );
    if (folded.size !== ROUNDS * OPS + 200) throw new Error(`replay folded ${folded.size} ops`);
    return result;
  };
  // Alternate and keep the best of three for each, so neither side gets the warm cache alone.
  let rawReadBest: Measured | undefined;
  let parseOnlyBest: Measured | undefined;
  let replayBest: Measured | undefined;
  for (let i = 0; i < 3; i++) {
    rawReadBest = faster(rawReadBest, await rawRead());
    parseOnlyBest = faster(parseOnlyBest, await rawRead(true));
    replayBest = faster(replayBest, await replay());
  }

  // Where replay time goes: the per-event CPU cost of decoding and validating alone.
  // (`StoredMsg.data` base64-decodes on every access: take the bytes once.)
  const sample = (await jsm.streams.getMessage('OPS', { seq: lastSeq }))!.data;
  let parseMicros = Infinity; // best of three, the machine is shared
  let jsonMicros = Infinity;
  for (let round = 0; round < 3; round++) {
    const parseStart = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) log.parse(sample);
    parseMicros = Math.min(
      parseMicros,
      Number(process.hrtime.bigint() - parseStart) / 1e3 / 20_000,
    );
    const jsonStart = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) JSON.parse(decoder.decode(sample));
    jsonMicros = Math.min(jsonMicros, Number(process.hrtime.bigint() - jsonStart) / 1e3 / 20_000);
  }

  const row = (name: string, log: number, raw: number, target: number) =>
    `${name.padEnd(8)} ${fmt(log).padStart(12)} ${fmt(raw).padStart(12)} ${(log / raw).toFixed(2).padStart(7)} ${`≥ ${target}`.padStart(7)} ${log / raw >= target ? 'ok' : 'MISSED'}`;
  console.log(
    `nats-server ${nc.info?.version}, ${OPS} ops × ${PER_OP} events = ${TOTAL} per round, ` +
      `${CONCURRENCY} ops in flight, best of ${ROUNDS} rounds; replay over all ${lastSeq} events` +
      (values['no-async-traces'] ? '; nats.js async traces off' : ''),
  );
  console.log(
    `${'phase'.padEnd(8)} ${'eventlog/s'.padStart(12)} ${'raw/s'.padStart(12)} ${'ratio'.padStart(7)} ${'target'.padStart(7)}`,
  );
  const cpu = (m: Measured) =>
    `client ${m.clientMicros.toFixed(1)} + server ${m.serverMicros.toFixed(1)} µs`;
  console.log(row('append', logAppend!.rate, rawAppend!.rate, 0.6));
  console.log(row('replay', replayBest!.rate, rawReadBest!.rate, 0.8));
  console.log(
    `replay ceiling: the raw read plus JSON.parse alone runs at ${fmt(parseOnlyBest!.rate)}/s, ` +
      `${(parseOnlyBest!.rate / rawReadBest!.rate).toFixed(2)} of the raw read (${cpu(parseOnlyBest!)})`,
  );
  console.log(
    `append CPU per event: eventlog ${cpu(logAppend!)}, raw ${cpu(rawAppend!)}; ` +
      `wall ${(1e6 / logAppend!.rate).toFixed(1)} vs ${(1e6 / rawAppend!.rate).toFixed(1)} µs`,
  );
  console.log(
    `replay CPU per event: eventlog ${cpu(replayBest!)}, raw ${cpu(rawReadBest!)}; ` +
      `wall ${(1e6 / replayBest!.rate).toFixed(1)} vs ${(1e6 / rawReadBest!.rate).toFixed(1)} µs; ` +
      `decode+validate+upcast alone ${parseMicros.toFixed(1)} µs, of which JSON.parse ` +
      `${jsonMicros.toFixed(1)} µs (${sample.length} B envelope)`,
  );
} finally {
  await nc.close();
  await server.stop();
}

/** The pid of the nats-server listening on `port` (Linux /proc); undefined elsewhere. */
function findServerPid(port: number): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let argv: string[];
      try {
        argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      } catch {
        continue; // exited meanwhile
      }
      if (argv[0]?.endsWith('nats-server') && argv.includes(String(port))) return Number(entry);
    }
  } catch {
    // no /proc: server CPU is reported as NaN
  }
  return undefined;
}

/** CPU time (user + system) the nats-server has used so far, µs. */
function serverCpuMicros(): number {
  if (serverPid === undefined) return NaN;
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
