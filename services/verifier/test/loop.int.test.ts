import { describe, expect, it } from 'vitest';
import { executorWrites, startWorld } from '../../executor/test/helpers/world.ts';

/** Library scenarios, each with the fix its analyzers propose (or a plain scale on the healthy shop). */
const CASES = [
  { scenario: 'healthy-shop', action: 'ScaleWorkload', name: 'storefront' },
  {
    scenario: 'payment-api-selector-mismatch',
    action: 'PatchServiceSelector',
    name: 'payment-api',
  },
  { scenario: 'liveness-probe-wrong-port', action: 'SetProbe', name: 'cart-service' },
];

describe('approved plan → executed → verified → closed, executor and verifier as processes', () => {
  it.each(CASES)(
    '$scenario: $action on $name',
    async ({ scenario, action, name }) => {
      const world = await startWorld(scenario);
      try {
        await world.executor();
        await world.verifier();
        const step =
          action === 'ScaleWorkload'
            ? await world.scaleUp(name)
            : await world.remediation(action, name);
        const { opId, plan } = await world.approved([step]);
        const closed = await world.waitFor(opId, 'OperationClosed', 120_000);
        const events = await world.events(opId);
        const types = events.map((e) => e.type);
        expect(types.slice(0, 7)).toEqual([
          'OperationRequested',
          'PlanProposed',
          'ApprovalGranted',
          'ExecutionStarted',
          'StepStarted',
          'StepSucceeded',
          'ExecutionCompleted',
        ]);
        const checks = plan.steps[0]!.checks.length;
        expect(types.filter((t) => t === 'CheckPassed')).toHaveLength(checks);
        expect(types.slice(-2)).toEqual(['VerificationPassed', 'OperationClosed']);
        expect(closed.type === 'OperationClosed' && closed.payload.outcome).toBe('succeeded');
        const passed = events.find((e) => e.type === 'CheckPassed');
        expect(passed?.type === 'CheckPassed' && passed.payload.observed).toBeTruthy();
        // Exactly one write, with the executor's field manager, and the scenario is fixed.
        const writes = executorWrites(world, plan.steps[0]!.target.name);
        expect(writes).toHaveLength(1);
        expect(writes[0]!.user).toBe('opsloop-executor');
        if (scenario !== 'healthy-shop') {
          const solved = await world.run.waitSolved(30_000);
          expect(solved.ok, solved.report).toBe(true);
        }
      } finally {
        await world.stop();
      }
    },
    180_000,
  );
});
