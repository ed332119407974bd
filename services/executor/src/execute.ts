import { OpsError, type ErrorInfo, type OpsEvent, type Step } from '@opsloop/contracts';
import { ConcurrencyError } from '@opsloop/eventlog';
import {
  DriftError,
  KubeApiError,
  applyStep,
  isApplied,
  type Cluster,
  type Policy,
} from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import type { AccessVerdict, KubernetesIdentity } from './access.ts';
import { judgeApproval } from './approval.ts';
import type { SwitchState } from './kill-switch.ts';
import { proposeRollback } from './rollback.ts';
import { Session, type OpsLog } from './session.ts';

export interface ExecutorContext {
  log: OpsLog;
  /** The executor's own connection: reads, isApplied, SubjectAccessReviews, rollback planning. */
  cluster: Cluster;
  clusterId: string;
  killSwitch: { read(): Promise<SwitchState> };
  /** May the approver do this step? (SubjectAccessReview, or always yes when writes impersonate.) */
  access(who: KubernetesIdentity, step: Step): Promise<AccessVerdict>;
  /** The connection a step is written with (the executor's, or one impersonating the approver). */
  writer(who: KubernetesIdentity): Promise<Cluster>;
  policy: Policy;
  minApprovers: number;
  pauseAfterWriteMs: number;
  logger: Logger;
  now?: () => Date;
}

/** Retryable: the kill switch holds the operation back; the delivery is tried again later. */
export class ExecutionHeldError extends OpsError {
  constructor(message: string) {
    super('OPS_ERR_EXECUTION_HELD', message, { retryable: true });
  }
}

/** After this many deliveries a step whose writes keep failing retryably is recorded as failed. */
const STEP_RETRY_DELIVERIES = 20;

/**
 * Handles one ApprovalGranted: reconciles the operation from its history (the trigger only
 * says which approval). The ExecutionStarted append, guarded by the operation's version,
 * is the single-use token: whoever loses that race re-reads, sees the approval consumed by
 * another trigger and stops. A redelivery of the same trigger resumes its own execution.
 */
export async function handleApproval(
  ctx: ExecutorContext,
  trigger: OpsEvent,
  deliveryCount = 1,
): Promise<void> {
  const now = ctx.now ?? (() => new Date());
  for (let attempt = 1; ; attempt++) {
    const session = await new Session(ctx.log, trigger.opId, trigger, now).load();
    try {
      await advance(ctx, session, deliveryCount);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}

async function advance(ctx: ExecutorContext, s: Session, deliveryCount: number): Promise<void> {
  const log = ctx.logger.child({ opId: s.opId, trigger: s.trigger.id });
  if (s.state.phase === 'approved') {
    const now = (ctx.now ?? (() => new Date()))();
    const verdict = judgeApproval(s.trigger, s.events, s.state, now, ctx);
    if (verdict.kind === 'skip') {
      log.debug({ why: verdict.why }, 'approval not executed here');
      return;
    }
    if (verdict.kind === 'refuse') {
      log.warn({ error: verdict.error }, 'approval refused');
      await s.record({ type: 'Fail', error: verdict.error }, 'refused');
      return;
    }
    await holdIfStopped(ctx, s);
    await s.record(
      { type: 'StartExecution', planHash: s.state.plan!.planHash },
      'execution-started',
    );
    log.info('execution started');
  }
  if (s.state.phase !== 'executing') return;
  if (s.state.approval?.consumedBy !== `${s.trigger.id}:execution-started`) return;
  await runSteps(ctx, s, deliveryCount);
}

async function runSteps(ctx: ExecutorContext, s: Session, deliveryCount: number): Promise<void> {
  const steps = s.state.plan!.plan.steps;
  const approvers = approverIdentities(s);
  // A step found in flight on entry was started by an earlier attempt, which may have written.
  let resumed = s.state.execution!.inFlight !== null;
  while (s.state.phase === 'executing') {
    const execution = s.state.execution!;
    if (execution.inFlight !== null && !resumed) {
      await writeStep(
        ctx,
        s,
        execution.inFlight,
        steps[execution.inFlight]!,
        approvers,
        deliveryCount,
      );
      continue;
    }
    if (execution.inFlight !== null) {
      resumed = false;
      const index = execution.inFlight;
      const step = steps[index]!;
      // StepStarted without an outcome: an earlier attempt may have written. Never twice.
      if (await isApplied(step, ctx.cluster)) {
        const live = await ctx.cluster.get(
          step.target.kind,
          step.target.namespace,
          step.target.name,
        );
        await s.record(
          {
            type: 'SucceedStep',
            stepIndex: index,
            result: {
              // The exact before-version died with the earlier attempt; the planned one stands in.
              resourceVersionBefore: step.target.resourceVersion,
              resourceVersionAfter: live?.metadata.resourceVersion ?? null,
            },
          },
          `step-${index}-succeeded`,
        );
        ctx.logger.info({ opId: s.opId, stepIndex: index }, 'step found applied after a restart');
        continue;
      }
      await holdIfStopped(ctx, s);
      await writeStep(ctx, s, index, step, approvers, deliveryCount);
      continue;
    }
    if (execution.nextStep >= steps.length) {
      await s.record({ type: 'CompleteExecution' }, 'execution-completed');
      ctx.logger.info({ opId: s.opId }, 'execution completed');
      return;
    }
    await holdIfStopped(ctx, s);
    await s.record(
      { type: 'StartStep', stepIndex: execution.nextStep },
      `step-${execution.nextStep}-started`,
    );
  }
}

async function writeStep(
  ctx: ExecutorContext,
  s: Session,
  index: number,
  step: Step,
  approvers: KubernetesIdentity[],
  deliveryCount: number,
): Promise<void> {
  for (const who of approvers) {
    const verdict = await ctx.access(who, step);
    if (!verdict.allowed) {
      await failStep(ctx, s, index, {
        code: 'FORBIDDEN',
        retryable: false,
        message: verdict.message,
      });
      return;
    }
  }
  let observed;
  try {
    const writer = await ctx.writer(approvers[0]!);
    observed = await applyStep(step, writer, { policy: ctx.policy, operationId: s.opId });
  } catch (error) {
    if (error instanceof DriftError) {
      await s.record(
        {
          type: 'InvalidatePlan',
          stepIndex: index,
          reason: error.message.slice(0, 1000),
          actualResourceVersion: error.live,
          changedPath: error.changed,
        },
        `step-${index}-invalidated`,
      );
      ctx.logger.warn(
        { opId: s.opId, stepIndex: index, changed: error.changed },
        'plan invalidated',
      );
      return;
    }
    const info = errorInfo(error);
    if (info.retryable && deliveryCount < STEP_RETRY_DELIVERIES) throw error;
    await failStep(ctx, s, index, info);
    return;
  }
  if (ctx.pauseAfterWriteMs > 0) {
    ctx.logger.warn({ opId: s.opId, stepIndex: index }, 'test hook: paused after write');
    await new Promise((resolve) => setTimeout(resolve, ctx.pauseAfterWriteMs));
  }
  await s.record(
    { type: 'SucceedStep', stepIndex: index, result: observed },
    `step-${index}-succeeded`,
  );
}

async function failStep(
  ctx: ExecutorContext,
  s: Session,
  index: number,
  error: ErrorInfo,
): Promise<void> {
  await s.record({ type: 'FailStep', stepIndex: index, error }, `step-${index}-failed`);
  ctx.logger.warn({ opId: s.opId, stepIndex: index, error }, 'step failed');
  await proposeRollback(ctx, s, index, error);
}

/** Records once that the kill switch holds this operation, then leaves it for a later try. */
async function holdIfStopped(ctx: ExecutorContext, s: Session): Promise<void> {
  const state = await ctx.killSwitch.read();
  if (!state.engaged) return;
  if (s.last()?.type !== 'ExecutionHeld') {
    await s.record(
      { type: 'HoldExecution', reason: state.reason, message: state.message },
      `held-${s.state.eventCount}`,
    );
    ctx.logger.warn({ opId: s.opId, reason: state.reason }, 'execution held by the kill switch');
  }
  throw new ExecutionHeldError(state.message);
}

/** Every distinct approver of the plan, with the Kubernetes identity the gateway recorded. */
function approverIdentities(s: Session): KubernetesIdentity[] {
  const hash = s.state.plan!.planHash;
  const byName = new Map<string, KubernetesIdentity>();
  for (const e of s.events) {
    if (e.type === 'PlanProposed' || e.type === 'RollbackProposed') byName.clear();
    if (e.type !== 'ApprovalGranted' || e.actor.kind !== 'user' || e.payload.planHash !== hash)
      continue;
    const recorded = (e.payload as { kubernetesIdentity?: KubernetesIdentity }).kubernetesIdentity;
    byName.set(e.payload.approver, recorded ?? { user: e.payload.approver, groups: [] });
  }
  return [...byName.values()];
}

/** How a failed write is told in StepFailed: the API server's reason as a stable code. */
export function errorInfo(error: unknown): ErrorInfo {
  const message =
    (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'failed';
  if (error instanceof KubeApiError) {
    const code = error.reason.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
    return {
      code: /^[A-Z][A-Z0-9_]{2,63}$/.test(code) ? code : 'KUBE_API_ERROR',
      retryable: error.retryable,
      message,
    };
  }
  if (error instanceof OpsError) return { code: error.code, retryable: error.retryable, message };
  return { code: 'OPS_ERR_EXECUTOR_INTERNAL', retryable: true, message };
}
