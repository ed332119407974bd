import { Kvm } from '@nats-io/kv';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorWrites, startWorld, type World } from './helpers/world.ts';

let world: World;
const ns = () => world.run.namespace;
const types = async (opId: string) => (await world.events(opId)).map((e) => e.type);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));
const RBAC = '/apis/rbac.authorization.k8s.io/v1/namespaces';
const removeRbac = (kind: 'roles' | 'rolebindings', name: string) =>
  world.admin.request('DELETE', `${RBAC}/${ns()}/${kind}/${name}`);
const createRbac = (kind: 'roles' | 'rolebindings', body: Record<string, unknown>) =>
  world.admin.request('POST', `${RBAC}/${ns()}/${kind}`, { body });
const binding = (name: string, user: string, roleKind: string, role: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: ns() },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
  subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
});

beforeAll(async () => {
  world = await startWorld('healthy-shop');
  await world.executor(['--min-approvers', '1']);
}, 120_000);
afterAll(() => world?.stop());

describe('executor refuses or stops without writing', () => {
  it('drift: the target edited after approval → PlanInvalidated naming the path, no write', async () => {
    const step = await world.scaleUp('cart-service');
    const { opId } = await world.approved([step], { planOnly: true });
    // Someone changes the Deployment's spec after the plan was approved.
    await world.admin.patch('Deployment', ns(), 'cart-service', {
      type: 'merge',
      body: { spec: { minReadySeconds: 3 } },
    });
    await world.grant(opId, 'bob');
    const invalidated = await world.waitFor(opId, 'PlanInvalidated');
    expect(invalidated.type === 'PlanInvalidated' && invalidated.payload.changedPath).toBe(
      '/metadata/generation',
    );
    expect(executorWrites(world, 'cart-service')).toHaveLength(0);
    await settle();
    expect((await types(opId)).at(-1)).toBe('PlanInvalidated');
  }, 60_000);

  it("RBAC: the approver's RoleBinding removed after approval → StepFailed FORBIDDEN, no write", async () => {
    const step = await world.scaleUp('catalog-search');
    const { opId } = await world.approved([step], { planOnly: true });
    await removeRbac('rolebindings', 'deployer-bob');
    try {
      await world.grant(opId, 'bob');
      const failed = await world.waitFor(opId, 'StepFailed');
      expect(failed.type === 'StepFailed' && failed.payload.error).toMatchObject({
        code: 'FORBIDDEN',
        retryable: false,
      });
      expect(failed.type === 'StepFailed' && failed.payload.error.message).toMatch(/bob/);
      await world.waitFor(opId, 'OperationFailed');
      expect(executorWrites(world, 'catalog-search')).toHaveLength(0);
    } finally {
      await createRbac(
        'rolebindings',
        binding('deployer-bob', 'bob', 'ClusterRole', 'shop-deployer'),
      );
    }
  }, 60_000);

  it('a failed second step → RollbackProposed with the inverse of the first, needing approval', async () => {
    const first = await world.scaleUp('checkout-service');
    const second = await world.scaleUp('tax-calculator');
    const { opId } = await world.approved([first, second], { planOnly: true });
    // carol may change checkout-service's namespace, but loses it before her approval is used.
    await removeRbac('rolebindings', 'deployer-carol');
    await createRbac('roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'only-checkout', namespace: ns() },
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          resourceNames: ['checkout-service'],
          verbs: ['get', 'patch'],
        },
      ],
    });
    await createRbac(
      'rolebindings',
      binding('only-checkout-carol', 'carol', 'Role', 'only-checkout'),
    );
    await world.grant(opId, 'carol');
    const proposed = await world.waitFor(opId, 'RollbackProposed');
    expect(await types(opId)).toEqual([
      'OperationRequested',
      'PlanProposed',
      'ApprovalGranted',
      'ExecutionStarted',
      'StepStarted',
      'StepSucceeded',
      'StepStarted',
      'StepFailed',
      'RollbackProposed',
    ]);
    if (proposed.type !== 'RollbackProposed') throw new Error('unreachable');
    expect(proposed.payload.plan.steps.map((s) => [s.action, s.args])).toEqual([
      ['ScaleWorkload', { ...first.args, replicas: (first.args.replicas as number) - 1 }],
    ]);
    expect(executorWrites(world, 'checkout-service')).toHaveLength(1);
    expect(executorWrites(world, 'tax-calculator')).toHaveLength(0);
    // Give carol her rights back: the next test needs her as a second approver.
    await removeRbac('rolebindings', 'only-checkout-carol');
    await createRbac(
      'rolebindings',
      binding('deployer-carol', 'carol', 'ClusterRole', 'shop-deployer'),
    );
  }, 60_000);

  it('a plan needing two approvers does not execute on one; the second approval starts it', async () => {
    const lone = await world.approved([await world.scaleUp('reviews-api')], { required: 2 });
    await settle();
    // The gateway's rule (contracts): not approved until the second approver grants.
    expect((await types(lone.opId)).includes('ExecutionStarted')).toBe(false);
    await world.grant(lone.opId, 'carol', { required: 2 });
    await world.waitFor(lone.opId, 'ExecutionCompleted');
  }, 60_000);
});

describe('the kill switch (JetStream KV opsloop_control/kill-switch)', () => {
  const kv = async () => new Kvm(world.nc).open('opsloop_control');

  it('set → each approved operation gets ExecutionHeld and nothing executes; cleared → they run', async () => {
    await (await kv()).put('kill-switch', 'incident 42: freeze');
    const a = await world.approved([await world.scaleUp('inventory-service')]);
    const b = await world.approved([await world.scaleUp('pricing-engine')]);
    for (const { opId } of [a, b]) {
      const held = await world.waitFor(opId, 'ExecutionHeld');
      expect(held.type === 'ExecutionHeld' && held.payload).toMatchObject({
        reason: 'kill_switch_engaged',
        stepIndex: null,
      });
      expect(held.type === 'ExecutionHeld' && held.payload.message).toMatch(/incident 42/);
    }
    await settle();
    for (const { opId } of [a, b]) {
      expect(await types(opId)).not.toContain('ExecutionStarted');
      expect((await types(opId)).filter((t) => t === 'ExecutionHeld')).toHaveLength(1);
    }
    expect(executorWrites(world, 'inventory-service')).toHaveLength(0);
    await (await kv()).delete('kill-switch');
    await world.waitFor(a.opId, 'ExecutionCompleted');
    await world.waitFor(b.opId, 'ExecutionCompleted');
    expect(executorWrites(world, 'inventory-service')).toHaveLength(1);
  }, 90_000);

  it('an approval that expired while held is refused, not executed', async () => {
    await (await kv()).put('kill-switch', 'maintenance');
    const { opId } = await world.approved([await world.scaleUp('shipping-quotes')], {
      expiresInMs: 3000,
    });
    await world.waitFor(opId, 'ExecutionHeld');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await (await kv()).delete('kill-switch');
    const failed = await world.waitFor(opId, 'OperationFailed');
    expect(failed.type === 'OperationFailed' && failed.payload.error.code).toBe(
      'OPS_ERR_APPROVAL_EXPIRED',
    );
    expect(executorWrites(world, 'shipping-quotes')).toHaveLength(0);
  }, 60_000);

  it('KV unreadable (the bucket is gone) → fail closed, held; readable and clear again → runs', async () => {
    const jsm = await jetstreamManager(world.nc);
    await jsm.streams.delete('KV_opsloop_control');
    const { opId } = await world.approved([await world.scaleUp('notification-worker')]);
    const held = await world.waitFor(opId, 'ExecutionHeld');
    expect(held.type === 'ExecutionHeld' && held.payload.reason).toBe('kill_switch_unreadable');
    await settle();
    expect(await types(opId)).not.toContain('ExecutionStarted');
    expect(executorWrites(world, 'notification-worker')).toHaveLength(0);
    await new Kvm(world.nc).create('opsloop_control', { history: 10 });
    await world.waitFor(opId, 'ExecutionCompleted');
  }, 60_000);
});
