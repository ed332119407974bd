import { inSpan } from '@opsloop/telemetry';
import { createHash } from 'node:crypto';
import {
  ApprovalExpiredError,
  IllegalTransitionError,
  OpsError,
  OpsEvents,
  PlanHashMismatchError,
  SelfApprovalError,
  decide,
  evolve,
  newEventFrom,
  seal,
  type Command,
  type PendingEvent,
  type Step,
  type UnsealedEnvelope,
} from '@opsloop/contracts';
import { ConcurrencyError } from '@opsloop/eventlog';
import { ApiCode, ApiError, forbidden, notFound } from '../errors.ts';
import { applyToView } from '../model/apply.ts';
import type { OpsLog, OperationStore } from '../model/store.ts';
import { emptyView, type OperationView } from '../model/view.ts';
import { hasRole, type Identity } from '../users/directory.ts';
import { describeDenial, type KubeSubject, type StepAccessReview } from '../kube/access.ts';
import {
  canSee,
  planDeadline,
  requiredApprovers,
  unownedNamespace,
  type ApprovalPolicy,
} from './policy.ts';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  planHash: string;
  comment?: string | undefined;
}

export interface DecisionAnswer {
  id: string;
  decision: 'approve' | 'reject';
  planHash: string;
  approver: string;
  eventId: string;
  decidedAt: string;
  status: OperationView['status'];
  approvals: { required: number; granted: string[]; remaining: number };
}

export interface ApprovalDeps {
  log: OpsLog;
  store: OperationStore;
  policy: ApprovalPolicy;
  reviewAccess: (subject: KubeSubject, steps: readonly Step[]) => Promise<StepAccessReview>;
  now: () => Date;
}

const ATTEMPTS = 8;

/**
 * An approver's decision on the current plan. Reads the operation's events (the source of
 * truth, not the read model), checks everything that needs I/O or the users file — team
 * ownership, role, Kubernetes RBAC — and lets contracts' decide() enforce the lifecycle
 * (hash, self-approval, expiry, distinct approvers). Appended with the operation's version
 * as the expected one: on a concurrent write it re-reads and decides again, so ten
 * simultaneous approvals append one ApprovalGranted.
 */
export async function decideApproval(
  deps: ApprovalDeps,
  identity: Identity,
  opId: string,
  input: DecisionInput,
): Promise<{ answer: DecisionAnswer; appended: boolean }> {
  // The first try decides on the read model: an append from it succeeds only if the operation
  // is still at exactly the version the view was folded to, so a stale view can never grant.
  // Anything but an append (a refusal, a repeated answer) is decided again on the log itself.
  let cached = deps.store.get(opId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const fromLog = cached === undefined;
    const view = cached ?? (await replay(deps, opId));
    cached = undefined;
    let outcome: Outcome;
    try {
      if (!canSee(identity, view)) throw notFound();
      outcome = await decideOnce(deps, identity, view, input);
    } catch (error) {
      if (fromLog || !(error instanceof ApiError)) throw error;
      continue;
    }
    if ('answer' in outcome) {
      if (!fromLog) continue;
      return { answer: outcome.answer, appended: false };
    }
    try {
      // The decision joins the operation's trace, so the executor's and verifier's work does too.
      const first = (await deps.log.readRaw(opId))[0] as
        { traceparent?: string | null } | undefined;
      const result = await inSpan(
        'approval decision',
        first?.traceparent ?? null,
        { 'opsloop.operation.id': opId },
        () => deps.log.append(opId, outcome.envelopes, view.eventCount),
      );
      await deps.store.waitFor(result.lastSequence);
      if (outcome.expired) throw expiredError(outcome.expired);
      const after = result.events.map((e) => OpsEvents.parse(e)).reduce(applyToView, view);
      const answer = answerOf(deps.policy, after, identity.name, input, outcome.envelopes[0]!);
      return { answer, appended: true };
    } catch (error) {
      if (error instanceof ConcurrencyError) continue;
      throw error;
    }
  }
  throw new ApiError(503, ApiCode.Unavailable, 'the operation is changing too fast; retry');
}

async function replay(deps: ApprovalDeps, opId: string): Promise<OperationView> {
  const { events } = await deps.log.read(opId);
  if (events.length === 0) throw notFound();
  return events.reduce(applyToView, emptyView(opId));
}

type Outcome = { answer: DecisionAnswer } | { envelopes: UnsealedEnvelope[]; expired?: string };

async function decideOnce(
  deps: ApprovalDeps,
  identity: Identity,
  view: OperationView,
  input: DecisionInput,
): Promise<Outcome> {
  if (identity.kind === 'service') {
    throw forbidden('a service identity can never approve or reject', ApiCode.ServiceCannotApprove);
  }
  if (!hasRole(identity, 'approver')) throw forbidden('deciding on plans needs the approver role');
  const plan = view.plan;
  if (plan === null) throw conflict(view, 'the operation has no plan to decide on');
  if (input.planHash !== plan.planHash) {
    throw new ApiError(
      409,
      ApiCode.PlanHashMismatch,
      'the plan changed since you saw it; review the current plan',
      {
        fields: { planHash: 'is not the current plan' },
        current: { planHash: plan.planHash, status: view.status },
      },
    );
  }
  const prior = priorDecision(view, identity.name);
  if (prior !== null) {
    if (prior.decision === input.decision)
      return { answer: answerOf(deps.policy, view, identity.name, input, prior) };
    throw conflict(
      view,
      `you already ${prior.decision === 'approve' ? 'approved' : 'rejected'} this plan`,
    );
  }
  if (view.phase !== 'awaiting_approval') {
    throw conflict(
      view,
      view.phase === 'approved'
        ? 'the plan is already approved'
        : `the operation is ${view.status}`,
    );
  }
  if (view.requester === identity.name)
    throw forbidden('you cannot decide on your own request', ApiCode.SelfApproval);
  const unowned = unownedNamespace(identity, view);
  if (unowned !== null) {
    throw forbidden(
      `none of your teams owns namespace ${unowned}, which the plan touches`,
      ApiCode.NotTeamOwner,
    );
  }
  const now = deps.now();
  const deadline = planDeadline(deps.policy, view)!;
  if (Date.parse(deadline) <= now.getTime()) return expire(view, deadline, now);
  if (input.decision === 'approve') {
    const review = await reviewOrUnavailable(deps, identity.kubernetes, plan.plan.steps);
    if (!review.allowed) {
      const what =
        review.denied === null
          ? `its permissions cannot be determined: ${review.reason}`
          : `missing permission: ${describeDenial(review.denied)}`;
      throw forbidden(
        `Kubernetes RBAC does not allow ${identity.kubernetes.user} to do step ${review.stepIndex} (${review.stepId}): ${what}`,
        ApiCode.RbacDenied,
      );
    }
  }
  const command: Command =
    input.decision === 'approve'
      ? {
          type: 'GrantApproval',
          planHash: plan.planHash,
          approver: identity.name,
          expiresAt: deadline,
          required: requiredApprovers(deps.policy, view),
          // The executor re-checks RBAC before each write for this exact identity.
          kubernetesIdentity: identity.kubernetes,
          ...(input.comment === undefined ? {} : { comment: input.comment }),
        }
      : {
          type: 'RejectApproval',
          planHash: plan.planHash,
          approver: identity.name,
          reason: input.comment ?? `rejected by ${identity.name}`,
        };
  const decided = lifecycle(() => decide(command, view.lifecycle, now), view);
  const key = `${plan.planHash}:${identity.name}:${input.decision}`;
  const envelopes = [envelope(view, decided[0]!, { kind: 'user', id: identity.name }, key, now)];
  if (input.decision === 'reject') {
    const afterReject = evolve(view.lifecycle, OpsEvents.parse(seal(envelopes[0]!, null)));
    const closed = lifecycle(
      () => decide({ type: 'Close', reason: 'the plan was rejected' }, afterReject, now),
      view,
    );
    envelopes.push(
      envelope(
        view,
        closed[0]!,
        { kind: 'service', id: 'gateway' },
        `${key}:closed`,
        now,
        envelopes[0]!.id,
      ),
    );
  }
  return { envelopes };
}

/** The plan's approval window has passed: record it once (ApprovalExpired), then answer 410. */
function expire(view: OperationView, deadline: string, now: Date): Outcome {
  const recorded = view.approvals.expiredAt !== null && view.approvals.granted.length === 0;
  if (recorded) throw expiredError(deadline);
  const decided = lifecycle(
    () => decide({ type: 'ExpireApproval', expiresAt: deadline }, view.lifecycle, now),
    view,
  );
  const key = `${view.plan!.planHash}:expired`;
  return {
    envelopes: [envelope(view, decided[0]!, { kind: 'service', id: 'gateway' }, key, now)],
    expired: deadline,
  };
}

function priorDecision(view: OperationView, name: string) {
  const granted = view.approvals.granted.find((g) => g.approver === name);
  if (granted !== undefined)
    return { decision: 'approve' as const, eventId: granted.eventId, at: granted.at };
  const rejected = view.approvals.rejected;
  if (rejected?.approver === name)
    return { decision: 'reject' as const, eventId: rejected.eventId, at: rejected.at };
  return null;
}

function answerOf(
  policy: ApprovalPolicy,
  view: OperationView,
  approver: string,
  input: DecisionInput,
  decided: { id?: string; eventId?: string; occurredAt?: string; at?: string },
): DecisionAnswer {
  const required = requiredApprovers(policy, view);
  const granted = view.approvals.granted.map((g) => g.approver);
  return {
    id: view.id,
    decision: input.decision,
    planHash: input.planHash,
    approver,
    eventId: (decided.eventId ?? decided.id)!,
    decidedAt: (decided.at ?? decided.occurredAt)!,
    status: view.status,
    approvals: { required, granted, remaining: Math.max(0, required - granted.length) },
  };
}

function envelope(
  view: OperationView,
  pending: PendingEvent,
  actor: { kind: 'user' | 'service'; id: string },
  key: string,
  now: Date,
  causationId: string | null = view.lifecycle.lastEventId,
): UnsealedEnvelope {
  // Derived from the decision, so a retried append (or a concurrent identical one) dedupes.
  const id = `gw-${createHash('sha256').update(`${view.id}\n${key}`).digest('hex').slice(0, 40)}`;
  return newEventFrom(pending, {
    opId: view.id,
    actor,
    causationId,
    correlationId: view.id,
    id,
    occurredAt: now.toISOString(),
  });
}

/** decide() refusals the gateway's own checks should have caught first, as API errors. */
function lifecycle(run: () => PendingEvent[], view: OperationView): PendingEvent[] {
  try {
    return run();
  } catch (error) {
    if (error instanceof SelfApprovalError)
      throw forbidden('you cannot decide on your own request', ApiCode.SelfApproval);
    if (error instanceof ApprovalExpiredError)
      throw expiredError(String(error.details.expiresAt ?? 'its expiry'));
    if (error instanceof PlanHashMismatchError || error instanceof IllegalTransitionError) {
      throw conflict(view, error.message);
    }
    if (error instanceof OpsError) throw new ApiError(400, ApiCode.Validation, error.message);
    throw error;
  }
}

async function reviewOrUnavailable(
  deps: ApprovalDeps,
  subject: KubeSubject,
  steps: readonly Step[],
) {
  try {
    return await deps.reviewAccess(subject, steps);
  } catch {
    throw new ApiError(
      503,
      ApiCode.Unavailable,
      'cannot check Kubernetes permissions right now; retry',
    );
  }
}

const conflict = (view: OperationView, message: string) =>
  new ApiError(409, ApiCode.Conflict, message, {
    current: { status: view.status, planHash: view.plan?.planHash ?? null },
  });

const expiredError = (deadline: string) =>
  new ApiError(
    410,
    ApiCode.ApprovalExpired,
    `the plan's approval window ended at ${deadline}; ask for a new plan`,
  );
