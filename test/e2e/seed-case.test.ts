/* eslint-disable @typescript-eslint/no-explicit-any -- projections are read as the JSON the API returns */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsloop, startStack, type Stack } from '../helpers/mod.ts';

/**
 * The product brief's own case, across separate processes: payment-api is unreachable
 * since its deploy. Ask → the selector fix with its diff → approved by a second user →
 * executed → verified (the Service answers through the API server's service proxy) →
 * the audit trail replays and verifies, and a one-byte change is caught.
 */
let stack: Stack;
const work = mkdtempSync(join(tmpdir(), 'opsloop-seed-'));

beforeAll(async () => {
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', stack.adminKubeconfig, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: work },
  });
}

describe('the seed case end to end', () => {
  let id: string;

  it('asks and gets the selector fix, with its diff and planHash', async () => {
    const requester = stack.user('payments', 'requester');
    const asked = await opsloop(
      [
        'ask',
        'payment-api is unreachable since the last deploy. Why, and can you fix it?',
        '-n',
        'payments',
        '--wait',
        '--json',
        ...stack.as(requester),
      ],
      { cwd: work },
    );
    expect(asked.code, asked.stderr).toBe(0);
    const op = asked.json<Record<string, any>>();
    id = op.id;
    expect(op.status).toBe('awaiting_approval');
    expect(op.plan.planHash).toMatch(/^[0-9a-f]{64}$/);
    const step = op.plan.plan.steps[0];
    expect(step.action).toBe('PatchServiceSelector');
    expect(step.target).toMatchObject({
      kind: 'Service',
      namespace: 'payments',
      name: 'payment-api',
    });
    expect(JSON.stringify(step.diff)).toContain('app.kubernetes.io/name');
    expect(op.diagnosis.findings.some((f: any) => f.object?.name === 'payment-api')).toBe(true);
  }, 120_000);

  it('refuses the requester approving their own plan', async () => {
    const requester = stack.user('payments', 'requester');
    const self = await opsloop(['approve', id, '--json', ...stack.as(requester)], { cwd: work });
    expect(self.code).toBe(4);
  }, 60_000);

  it('executes once approved by a second user and verifies the Service answers', async () => {
    const approver = stack.user('payments', 'approver');
    const approved = await opsloop(
      ['approve', id, '--comment', 'selector fix looks right', '--json', ...stack.as(approver)],
      { cwd: work },
    );
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    const watched = await opsloop(['watch', id, '--json', ...stack.as(approver)], {
      cwd: work,
      timeoutMs: 180_000,
    });
    expect(watched.code, watched.stderr + watched.stdout).toBe(0);
    expect(watched.json().status).toBe('succeeded');
    const answer = kubectl(
      'get',
      '--raw',
      '/api/v1/namespaces/payments/services/payment-api:80/proxy/healthz',
    );
    expect(answer.length).toBeGreaterThan(0);
    const selector = JSON.parse(
      kubectl('get', 'service', 'payment-api', '-n', 'payments', '-o', 'jsonpath={.spec.selector}'),
    );
    expect(selector).toEqual({ 'app.kubernetes.io/name': 'payment-api' });
  }, 200_000);

  it('replays the whole ordered stream with actors, and the audit export verifies', async () => {
    const replay = await opsloop(['replay', id, '--nats', stack.natsUrl, '--json'], { cwd: work });
    expect(replay.code, replay.stderr).toBe(0);
    const { events, chain } = replay.json<{
      events: { type: string; actor: { kind: string; id: string } }[];
      chain: { ok: boolean };
    }>();
    expect(chain.ok).toBe(true);
    const types = events.map((e) => e.type);
    for (const type of [
      'OperationRequested',
      'DiagnosisRecorded',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionStarted',
      'StepSucceeded',
      'ExecutionCompleted',
      'VerificationPassed',
      'OperationClosed',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('ApprovalGranted')).toBeLessThan(types.indexOf('ExecutionStarted'));
    const actor = (type: string) => events.find((e) => e.type === type)!.actor;
    expect(actor('OperationRequested')).toEqual({
      kind: 'user',
      id: stack.user('payments', 'requester').name,
    });
    expect(actor('ApprovalGranted')).toEqual({
      kind: 'user',
      id: stack.user('payments', 'approver').name,
    });
    expect(actor('PlanProposed')).toEqual({ kind: 'service', id: 'planner' });
    expect(actor('StepSucceeded')).toEqual({ kind: 'service', id: 'executor' });
    expect(actor('VerificationPassed')).toEqual({ kind: 'service', id: 'verifier' });

    const file = join(work, 'audit.ndjson');
    const exported = await opsloop(
      ['audit', 'export', '--nats', stack.natsUrl, '-n', 'payments', '--out', file],
      { cwd: work },
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect((await opsloop(['audit', 'verify', file], { cwd: work })).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"request":"') + 12;
    const tampered = join(work, 'tampered.ndjson');
    writeFileSync(
      tampered,
      text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1),
    );
    const broken = await opsloop(['audit', 'verify', tampered], { cwd: work });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN: operation .* does not match its hash/);
  }, 120_000);
});
