/* eslint-disable @typescript-eslint/no-explicit-any -- projections are read as the JSON the API returns */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsloop, startStack, type Stack } from '../helpers/mod.ts';
import { startOtlpReceiver } from '../helpers/otlp.ts';

/** The other paths of the loop on the demo cluster, the services as separate processes. */
let stack: Stack;
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
const work = mkdtempSync(join(tmpdir(), 'opsloop-life-'));

beforeAll(async () => {
  otlp = await startOtlpReceiver();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
  stack = await startStack({
    serviceEnv: { planner: env, executor: env, verifier: env, gateway: env },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await otlp?.stop();
});

const kubectl = (...args: string[]) =>
  execFileSync('kubectl', ['--kubeconfig', stack.adminKubeconfig, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: work },
  });

async function ask(team: string, namespace: string, request: string) {
  const result = await opsloop(
    [
      'ask',
      request,
      '-n',
      namespace,
      '--wait',
      '--json',
      ...stack.as(stack.user(team, 'requester')),
    ],
    { cwd: work },
  );
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return result.json<Record<string, any>>();
}

describe('the loop on the demo cluster', () => {
  it('answers a read-only question with no approval: payment errors in the logs', async () => {
    const op = await ask('payments', 'payments', 'Check logs for the payment service errors.');
    expect(op.status).toBe('answered');
    expect(op.plan ?? null).toBeNull();
    expect(op.answer).toContain('payment-api');
    expect(op.answer).toMatch(/card processor timeout/);
  });

  it('scales checkout to five replicas end to end', async () => {
    const op = await ask('shop', 'shop', 'Scale the checkout service to five replicas.');
    expect(op.status).toBe('awaiting_approval');
    expect(op.plan.plan.steps).toHaveLength(1);
    expect(op.plan.plan.steps[0]).toMatchObject({
      action: 'ScaleWorkload',
      args: { name: 'checkout', replicas: 5 },
    });
    const approver = stack.user('shop', 'approver');
    expect((await opsloop(['approve', op.id, ...stack.as(approver)], { cwd: work })).code).toBe(0);
    const done = await stack.waitFor(
      approver,
      op.id,
      (o) => ['succeeded', 'failed'].includes(o.status),
      180_000,
    );
    expect(done.status).toBe('succeeded');
    expect(
      kubectl(
        'get',
        'deployment',
        'checkout',
        '-n',
        'shop',
        '-o',
        'jsonpath={.status.readyReplicas}',
      ),
    ).toBe('5');
  }, 240_000);

  it('records a rejection and closes the operation, with nothing written', async () => {
    const op = await ask('shop', 'backend', 'Why are backend API pods stuck in Pending state?');
    expect(op.status).toBe('awaiting_approval');
    expect(op.diagnosis.findings.some((f: any) => f.object?.name?.startsWith('backend-api'))).toBe(
      true,
    );
    const before = kubectl(
      'get',
      'deployment',
      'backend-api',
      '-n',
      'backend',
      '-o',
      'jsonpath={.metadata.generation}',
    );
    const approver = stack.user('shop', 'approver');
    const rejected = await opsloop(
      ['reject', op.id, '--comment', 'we will buy bigger nodes', ...stack.as(approver)],
      { cwd: work },
    );
    expect(rejected.code, rejected.stderr).toBe(0);
    const done = await stack.waitFor(approver, op.id, (o) => o.status === 'rejected');
    expect(done.status).toBe('rejected');
    expect(
      kubectl(
        'get',
        'deployment',
        'backend-api',
        '-n',
        'backend',
        '-o',
        'jsonpath={.metadata.generation}',
      ),
    ).toBe(before);
  }, 120_000);

  it('invalidates a plan whose target changed before it was executed', async () => {
    // Someone scales by hand between the plan and its approval: the approved desired state is gone.
    const op = await ask('shop', 'shop', 'Scale the checkout service to 3 replicas.');
    expect(op.status).toBe('awaiting_approval');
    kubectl('scale', 'deployment', 'checkout', '-n', 'shop', '--replicas=4');
    const approver = stack.user('shop', 'approver');
    await opsloop(['approve', op.id, ...stack.as(approver)], { cwd: work });
    const done = await stack.waitFor(approver, op.id, (o) =>
      ['invalidated', 'succeeded', 'failed'].includes(o.status),
    );
    expect(done.status).toBe('invalidated');
    expect(
      kubectl('get', 'deployment', 'checkout', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'),
    ).toBe('4');
  }, 120_000);

  it('one trace spans gateway → planner → executor → verifier', async () => {
    const deadline = Date.now() + 30_000;
    let services = new Set<string>();
    while (Date.now() < deadline) {
      const byTrace = new Map<string, Set<string>>();
      for (const span of otlp.spans) {
        const set = byTrace.get(span.traceId) ?? new Set();
        set.add(span.service);
        byTrace.set(span.traceId, set);
      }
      services = [...byTrace.values()].sort((a, b) => b.size - a.size)[0] ?? new Set();
      if (services.size >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const names = [...services].join(' ');
    for (const service of ['gateway', 'planner', 'executor', 'verifier'])
      expect(names).toContain(service);
  }, 60_000);
});
