import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsloop, startStack, type Stack } from '../helpers/mod.ts';

/**
 * kill -9 of each service in turn during an operation, then restarted: the operation ends
 * correctly and nothing is applied twice (kube-sim's audit log counts the executor's writes).
 */
let stack: Stack;
const work = mkdtempSync(join(tmpdir(), 'opsloop-crash-'));
const PAUSE = ['--test-pause-after-write-ms', '600000'];

beforeAll(async () => {
  stack = await startStack({ serviceArgs: { executor: PAUSE } });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

function executorWrites(name: string): number {
  const lines = readFileSync(stack.auditLog!, 'utf8').trim().split('\n');
  return lines
    .map(
      (l) =>
        JSON.parse(l) as {
          user: string;
          verb: string;
          resource: string;
          name?: string;
          dryRun: boolean;
          responseCode: number;
        },
    )
    .filter((e) => e.user.endsWith(':executor') && !e.dryRun && e.verb === 'patch')
    .filter((e) => e.resource === 'deployments' && e.name === name && e.responseCode < 300).length;
}

async function askScale(replicas: number) {
  const requester = stack.user('shop', 'requester');
  const asked = await opsloop(
    [
      'ask',
      `scale checkout to ${replicas} replicas`,
      '-n',
      'shop',
      '--json',
      ...stack.as(requester),
    ],
    { cwd: work },
  );
  expect(asked.code, asked.stderr).toBe(0);
  return asked.json<{ id: string }>().id;
}

const approver = () => stack.user('shop', 'approver');
const status =
  (...statuses: string[]) =>
  (op: Record<string, unknown>) =>
    statuses.includes(String(op.status));

describe('crashes mid-operation', () => {
  it('executor killed between its write and StepSucceeded: one write, the operation completes', async () => {
    const id = await askScale(3);
    const planned = await stack.waitFor(approver(), id, status('awaiting_approval'));
    await opsloop(['approve', id, ...stack.as(approver())], { cwd: work });
    const executor = stack.processes.get('executor')!;
    await executor.waitForLog(
      (l) => l.msg === 'test hook: paused after write' && l.opId === id,
      60_000,
    );
    await stack.restart('executor', 'kill');
    const done = await stack.waitFor(approver(), id, status('succeeded', 'failed'), 180_000);
    expect(done.status).toBe('succeeded');
    expect(planned.plan.plan.steps[0].action).toBe('ScaleWorkload');
    expect(executorWrites('checkout')).toBe(1);
  }, 300_000);

  it('planner killed right after the request: exactly one plan once it is back', async () => {
    const id = await askScale(4);
    await stack.restart('planner', 'kill');
    const op = await stack.waitFor(approver(), id, status('awaiting_approval', 'failed'), 120_000);
    expect(op.status).toBe('awaiting_approval');
    const replay = await opsloop(['replay', id, '--nats', stack.natsUrl, '--json'], { cwd: work });
    const types = replay.json<{ events: { type: string }[] }>().events.map((e) => e.type);
    expect(types.filter((t) => t === 'PlanProposed')).toHaveLength(1);
    // Leave it approved and done for the next test's count.
    await opsloop(['approve', id, ...stack.as(approver())], { cwd: work });
    expect(
      (await stack.waitFor(approver(), id, status('succeeded', 'failed'), 180_000)).status,
    ).toBe('succeeded');
    expect(executorWrites('checkout')).toBe(2);
  }, 300_000);

  it('gateway killed while a plan awaits approval: the approval goes through once it is back', async () => {
    const id = await askScale(2);
    await stack.waitFor(approver(), id, status('awaiting_approval'));
    await stack.restart('gateway', 'kill');
    const approved = await opsloop(['approve', id, ...stack.as(approver())], { cwd: work });
    expect(approved.code, approved.stderr).toBe(0);
    expect(
      (await stack.waitFor(approver(), id, status('succeeded', 'failed'), 180_000)).status,
    ).toBe('succeeded');
    expect(executorWrites('checkout')).toBe(3);
  }, 300_000);

  it('verifier killed during verification: verified once it is back, nothing re-applied', async () => {
    const id = await askScale(3);
    await stack.waitFor(approver(), id, status('awaiting_approval'));
    await opsloop(['approve', id, ...stack.as(approver())], { cwd: work });
    await stack.waitFor(approver(), id, status('verifying', 'succeeded'), 120_000);
    await stack.restart('verifier', 'kill');
    const done = await stack.waitFor(approver(), id, status('succeeded', 'failed'), 180_000);
    expect(done.status).toBe('succeeded');
    const replay = await opsloop(['replay', id, '--nats', stack.natsUrl, '--json'], { cwd: work });
    const types = replay.json<{ events: { type: string }[] }>().events.map((e) => e.type);
    expect(types.filter((t) => t === 'VerificationPassed')).toHaveLength(1);
    expect(types.filter((t) => t === 'StepSucceeded')).toHaveLength(1);
    expect(executorWrites('checkout')).toBe(4);
  }, 300_000);
});
