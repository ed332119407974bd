import { checkKey, type CheckSpec, type OpsEvent } from '@opsloop/contracts';
import { ConcurrencyError } from '@opsloop/eventlog';
import type { Cluster } from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import { stillWrong } from './findings.ts';
import { rollbackPlan } from './rollback.ts';
import { evaluateUntilSettled, type CheckOutcome, type CheckPolicy } from './run-check.ts';
import { Session, type OpsLog } from './session.ts';

export interface VerifierContext {
  log: OpsLog;
  /** The verifier's own read-only connection: checks and analyzers. */
  cluster: Cluster;
  /** A connection allowed to dry-run writes, used only to plan a rollback. */
  planCluster: Cluster;
  checks: CheckPolicy;
  logger: Logger;
  now?: () => Date;
}

/**
 * Handles one ExecutionCompleted: verifies the operation's current plan, reconciling from
 * its history. VerificationStarted (guarded by the operation's version) makes one verifier
 * the owner; a redelivery of the same trigger resumes it, running only the checks that have
 * no result yet.
 */
export async function handleExecutionCompleted(ctx: VerifierContext, trigger: OpsEvent) {
  if (trigger.type !== 'ExecutionCompleted') return;
  if (trigger.actor.kind !== 'service' || trigger.actor.id !== 'executor') {
    ctx.logger.warn(
      { opId: trigger.opId, actor: trigger.actor },
      'ExecutionCompleted not written by the executor; ignored',
    );
    return;
  }
  const now = ctx.now ?? (() => new Date());
  for (let attempt = 1; ; attempt++) {
    const session = await new Session(ctx.log, trigger.opId, trigger, now).load();
    try {
      await advance(ctx, session, trigger.payload.planHash);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

async function advance(ctx: VerifierContext, s: Session, executedHash: string): Promise<void> {
  const started = `${s.trigger.id}:verification-started`;
  const mine = () => s.events.some((e) => e.id === started);
  for (;;) {
    const { phase, plan } = s.state;
    if (plan === null) return;
    if (phase === 'executed' && plan.planHash === executedHash) {
      await s.record({ type: 'StartVerification' }, 'verification-started');
      ctx.logger.info({ opId: s.opId, kind: plan.kind }, 'verification started');
    } else if (phase === 'verifying' && mine()) {
      await runChecks(ctx, s);
    } else if (phase === 'verified' && mine()) {
      await s.record({ type: 'Close' }, 'closed');
      ctx.logger.info({ opId: s.opId, outcome: s.last()?.payload }, 'operation closed');
      return;
    } else if (phase === 'verification_failed' && mine()) {
      await afterFailure(ctx, s);
      if (s.state.phase !== 'failed') return;
    } else if (phase === 'failed' && mine() && s.last()?.id === `${s.trigger.id}:failed`) {
      await s.record({ type: 'Close' }, 'closed');
      return;
    } else {
      return;
    }
  }
}

/** Runs the planned checks that have no result yet (all at once), records them in plan order. */
async function runChecks(ctx: VerifierContext, s: Session): Promise<void> {
  const plan = s.state.plan!.plan;
  const done = new Set([
    ...(s.state.verification?.passed ?? []),
    ...(s.state.verification?.failed ?? []),
  ]);
  const open: { stepIndex: number; check: CheckSpec; key: string; n: number }[] = [];
  plan.steps.forEach((step, stepIndex) =>
    step.checks.forEach((check, n) => {
      const key = checkKey(stepIndex, check);
      if (!done.has(key)) open.push({ stepIndex, check, key, n });
    }),
  );
  // One check failed for good means the verification has failed: the others stop waiting
  // (a crashlooping rollout would otherwise hold PodsHealthy for its whole timeout).
  const stop = new AbortController();
  const outcomes = await Promise.all(
    open.map(async (c) => {
      const outcome = await evaluateUntilSettled(c.check, ctx.cluster, ctx.checks, stop.signal);
      if (outcome.final && !stop.signal.aborted) {
        stop.abort(`${c.check.name} failed for good`);
      }
      return outcome;
    }),
  );
  for (const [i, c] of open.entries()) {
    const outcome = outcomes[i] as CheckOutcome;
    await s.record(
      {
        type: outcome.passed ? 'PassCheck' : 'FailCheck',
        stepIndex: c.stepIndex,
        check: c.check,
        observed: outcome.observed as never,
        message: outcome.message.slice(0, 2000) || 'no message',
      },
      `check-${c.stepIndex}-${c.n}`,
    );
  }
  const failed = s.state.verification?.failed.length ?? 0;
  if (failed === 0) {
    await s.record({ type: 'PassVerification' }, 'verification-passed');
    return;
  }
  const since = s.events.findIndex((e) => e.id === `${s.trigger.id}:verification-started`);
  const failures = s.events
    .slice(since)
    .flatMap((e) =>
      e.type === 'CheckFailed'
        ? [
            `${e.payload.check.name} failed: ${e.payload.message ?? ''} (observed ${JSON.stringify(e.payload.observed).slice(0, 240)})`,
          ]
        : [],
    );
  const wrong = await stillWrong(ctx.cluster, plan);
  const reason = `${failures.join('; ')}${wrong ? ` — still wrong: ${wrong}` : ''}`;
  await s.record(
    { type: 'FailVerification', reason: reason.slice(0, 2000) },
    'verification-failed',
  );
  ctx.logger.warn({ opId: s.opId, reason }, 'verification failed');
}

/** Propose undoing the plan; a failed rollback is not rolled back again: the operation fails. */
async function afterFailure(ctx: VerifierContext, s: Session): Promise<void> {
  const current = s.state.plan!;
  const failedEvent = s.events.findLast((e) => e.type === 'VerificationFailed');
  const why =
    failedEvent?.type === 'VerificationFailed' ? failedEvent.payload.reason : 'verification failed';
  if (current.kind === 'rollback') {
    await s.record(
      {
        type: 'Fail',
        error: {
          code: 'OPS_ERR_ROLLBACK_NOT_VERIFIED',
          retryable: false,
          message: `the rollback did not verify: ${why}`.slice(0, 2000),
        },
      },
      'failed',
    );
    return;
  }
  const rollback = await rollbackPlan(ctx.planCluster, current.plan, why);
  if (rollback.plan === null) {
    await s.record(
      {
        type: 'Fail',
        error: {
          code: 'OPS_ERR_VERIFICATION_FAILED',
          retryable: false,
          message: `${why}; no rollback can be proposed: ${rollback.notUndone.join('; ')}`.slice(
            0,
            2000,
          ),
        },
      },
      'failed',
    );
    return;
  }
  await s.record(
    {
      type: 'ProposeRollback',
      plan: rollback.plan,
      reason: rollback.plan.rationale.slice(0, 2000),
    },
    'rollback-proposed',
  );
  ctx.logger.info({ opId: s.opId, steps: rollback.plan.steps.length }, 'rollback proposed');
}
