/* eslint-disable @typescript-eslint/no-explicit-any -- projections are read as the JSON the API returns */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsloop, startStack, type Stack } from '../helpers/mod.ts';

/**
 * A change that verification catches: checkout:4.2.0 exits at start, so its rollout never
 * completes; the verifier fails the operation at the Deployment's progress deadline and
 * proposes the rollback, which a second user approves and the executor applies.
 */
let stack: Stack;
const work = mkdtempSync(join(tmpdir(), 'opsloop-rollback-'));
const BROKEN = 'registry.example.com/shop/checkout:4.2.0';
const GOOD = 'registry.example.com/shop/checkout:4.1.2';

beforeAll(async () => {
  // speed 10: the 600 s progress deadline of cluster time passes in about 60 s.
  stack = await startStack({
    speed: 10,
    serviceEnv: { verifier: { OPSLOOP_VERIFIER_STABLE_WINDOW_MS: '5000' } },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const image = () =>
  execFileSync(
    'kubectl',
    [
      '--kubeconfig',
      stack.adminKubeconfig,
      'get',
      'deployment',
      'checkout',
      '-n',
      'shop',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ],
    { encoding: 'utf8', env: { ...process.env, HOME: work } },
  );

async function events(id: string): Promise<{ type: string; payload: any }[]> {
  const replay = await opsloop(['replay', id, '--nats', stack.natsUrl, '--json'], { cwd: work });
  expect(replay.code, replay.stderr).toBe(0);
  return replay.json<{ events: { type: string; payload: any }[] }>().events;
}

describe('a verification failure with its rollback', () => {
  it('fails verification of a broken release, then applies and verifies the approved rollback', async () => {
    const requester = stack.user('shop', 'requester');
    const asked = await opsloop(
      [
        'ask',
        'Set the image of the checkout deployment to registry.example.com/shop/checkout:4.2.0',
        '-n',
        'shop',
        '--wait',
        '--json',
        ...stack.as(requester),
      ],
      { cwd: work },
    );
    expect(asked.code, asked.stderr + asked.stdout).toBe(0);
    const op = asked.json<Record<string, any>>();
    expect(op.status).toBe('awaiting_approval');
    expect(JSON.stringify(op.plan.plan.steps)).toContain('4.2.0');

    const approver = stack.user('shop', 'approver');
    const approved = await opsloop(['approve', op.id, ...stack.as(approver)], { cwd: work });
    expect(approved.code, approved.stderr).toBe(0);

    const failed = await stack.waitFor(
      approver,
      op.id,
      (o) => o.plan?.kind === 'rollback' || ['succeeded', 'failed', 'closed'].includes(o.status),
      150_000,
    );
    expect(failed.status, JSON.stringify(failed).slice(0, 2000)).toBe('awaiting_approval');
    expect(failed.plan.kind).toBe('rollback');
    expect(image()).toBe(BROKEN);
    const failedChecks = (await events(op.id)).filter((e) => e.type === 'CheckFailed');
    expect(failedChecks.map((e) => e.payload.check.name)).toContain('RolloutComplete');
    expect(
      failedChecks.find((e) => e.payload.check.name === 'RolloutComplete')?.payload.observed,
    ).toMatchObject({ stalled: true });
    expect(JSON.stringify(failed.plan.plan.steps)).toContain('4.1.2');

    // The rollback needs a second approval like any plan: another approver of the team.
    const second = stack.user('shop', 'approver', 1);
    const approvedRollback = await opsloop(['approve', op.id, ...stack.as(second)], { cwd: work });
    expect(approvedRollback.code, approvedRollback.stderr).toBe(0);
    const done = await stack.waitFor(
      second,
      op.id,
      (o) => ['failed', 'succeeded'].includes(o.status),
      120_000,
    );
    const all = await events(op.id);
    const closed = all.find((e) => e.type === 'OperationClosed');
    expect(closed?.payload.outcome, JSON.stringify(done).slice(0, 2000)).toBe('rolled_back');
    expect(all.map((e) => e.type)).toContain('VerificationPassed');
    expect(image()).toBe(GOOD);
  }, 300_000);
});
