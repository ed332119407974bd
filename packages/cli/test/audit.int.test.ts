import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { OpsEvents, newEvent } from '@opsloop/contracts';
import { EventLog } from '@opsloop/eventlog';
import { startNatsServer, type NatsServer } from '@opsloop/testkit';

const bin = fileURLToPath(new URL('../bin/opsloop.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opsloop-audit-'));

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, NATS_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let nats: NatsServer;
let nc: NatsConnection;

async function writeOperation(log: EventLog<never>, opId: string, namespace: string) {
  const meta = (n: number) => ({
    opId,
    actor:
      n === 0
        ? { kind: 'user' as const, id: 'alice' }
        : { kind: 'service' as const, id: 'planner' },
    causationId: null,
    correlationId: opId,
    id: `${opId}-${n}`,
  });
  const events = [
    newEvent(
      'OperationRequested',
      {
        request: `is ${namespace} healthy?`,
        namespace,
        requestedBy: 'alice',
        cluster: { id: 'c1' },
      },
      meta(0),
    ),
    newEvent(
      'ContextGathered',
      { summary: 'read 3 deployments', toolCalls: 3, truncated: false },
      meta(1),
    ),
    newEvent('OperationAnswered', { answer: `${namespace} is healthy` }, meta(2)),
    newEvent('OperationClosed', { outcome: 'answered' }, meta(3)),
  ];
  await log.append(opId, events, 0);
}

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  const log = await EventLog.open(nc, OpsEvents);
  await writeOperation(log as never, 'op-a', 'shop');
  await writeOperation(log as never, 'op-b', 'payments');
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('opsloop replay and audit against a real nats-server', () => {
  it('replays an operation in order with actors and causes, and checks its chain', async () => {
    const result = await run('replay', 'op-a', '--nats', nats.url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toContain('operation op-a — 4 events');
    expect(lines[1]).toMatch(/user:alice\s+OperationRequested/);
    expect(lines[4]).toMatch(/service:planner\s+OperationClosed/);
    expect(lines.at(-1)).toMatch(/^hash chain intact: 4 events/);
    const json = JSON.parse((await run('replay', 'op-a', '--nats', nats.url, '--json')).stdout);
    expect(json.events.map((e: { type: string }) => e.type)).toEqual([
      'OperationRequested',
      'ContextGathered',
      'OperationAnswered',
      'OperationClosed',
    ]);
  });

  it('says so when the operation does not exist', async () => {
    const result = await run('replay', 'op-zzz', '--nats', nats.url);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no operation op-zzz');
  });

  it('exports NDJSON that verifies, filtered by namespace', async () => {
    const all = join(dir, 'all.ndjson');
    expect((await run('audit', 'export', '--nats', nats.url, '--out', all)).code).toBe(0);
    const lines = readFileSync(all, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(8);
    expect((await run('audit', 'verify', all)).code).toBe(0);

    const shop = join(dir, 'shop.ndjson');
    await run('audit', 'export', '--nats', nats.url, '-n', 'shop', '--out', shop);
    expect(readFileSync(shop, 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('names the first modified, missing or reordered event', async () => {
    const all = join(dir, 'all.ndjson');
    const lines = readFileSync(all, 'utf8').trim().split('\n');

    const modified = join(dir, 'modified.ndjson');
    writeFileSync(
      modified,
      [...lines.slice(0, 2), lines[2]!.replace('healthy', 'hea1thy'), ...lines.slice(3)].join('\n'),
    );
    const m = await run('audit', 'verify', modified);
    expect(m.code).toBe(1);
    expect(m.stdout).toMatch(/BROKEN: operation op-a, line 3: .*op-a-2 does not match its hash/);

    const missing = join(dir, 'missing.ndjson');
    writeFileSync(missing, [lines[0], lines[2], lines[3]].join('\n'));
    const gone = await run('audit', 'verify', missing);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/line 2: .*op-a-2 .*dropped, inserted or reordered/);

    const reordered = join(dir, 'reordered.ndjson');
    writeFileSync(reordered, [lines[0], lines[2], lines[1], lines[3]].join('\n'));
    expect((await run('audit', 'verify', reordered)).code).toBe(1);

    const garbage = join(dir, 'garbage.ndjson');
    writeFileSync(garbage, `${lines[0]}\nnot json\n`);
    const g = await run('audit', 'verify', garbage);
    expect(g.code).toBe(1);
    expect(g.stdout).toContain('line 2 is not JSON');
  });

  it('gives a usage error with exit 2 for a bad flag', async () => {
    const result = await run('audit', 'export', '--bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
  });
});
