import {
  decide,
  evolve,
  initialState,
  newEventFrom,
  OpsError,
  type OperationState,
  type OpsEvent,
  type UnsealedEnvelope,
} from '@opsloop/contracts';
import { ConcurrencyError, type HandlerContext } from '@opsloop/eventlog';
import type { Cluster } from '@opsloop/kube-tools';
import type { Logger } from '@opsloop/service-kit';
import { Attr } from '@opsloop/telemetry';
import { trace } from '@opentelemetry/api';
import type { PlannerLimits } from './config.ts';
import type { OperationInput } from './context.ts';
import type { OpsLog } from './ops-log.ts';
import { decideOutcome, errorInfo, failure, type Decided } from './outcome.ts';
import type { PlannerMetrics } from './metrics.ts';
import { PlannerAttr } from './spans.ts';
import type { Planner } from './strategy.ts';

export const PLANNER_ACTOR = { kind: 'service', id: 'planner' } as const;

export interface FlowDeps {
  log: OpsLog;
  cluster: Cluster;
  planner: Planner;
  limits: PlannerLimits;
  logger: Logger;
  /** Deliveries the consumer makes before dead-lettering; the last one records a failure instead. */
  maxDeliver: number;
  now?: () => Date;
  metrics?: PlannerMetrics;
}

type Requested = Extract<OpsEvent, { type: 'OperationRequested' }>;
/** Phases in which the planner still has work to do for an operation. */
const OPEN = new Set(['requested', 'diagnosing']);

/**
 * Handles one event of the OPS stream. Only OperationRequested written by a user (the
 * gateway) starts work. Reconciles from the operation's state, not from the event: if the
 * operation has moved on (planned, answered, failed, closed), a redelivery does nothing.
 * Event ids derive from the trigger's id, so a retried or concurrent append of the same
 * outcome is stored once: one plan, whatever the number of deliveries or replicas.
 */
export async function handleEvent(
  event: OpsEvent,
  ctx: HandlerContext,
  deps: FlowDeps,
): Promise<void> {
  if (event.type !== 'OperationRequested') return;
  if (event.actor.kind !== 'user') {
    deps.logger.warn(
      { opId: event.opId, eventId: event.id, actor: event.actor },
      'ignoring OperationRequested not written for a user',
    );
    return;
  }
  const span = trace.getActiveSpan();
  span?.setAttribute(Attr.OpId, event.opId);
  const first = await readState(deps, event.opId);
  if (!OPEN.has(first.phase)) return;
  const input = inputOf(event);
  const started = performance.now();
  let outcome: Decided[];
  try {
    outcome = await decideOutcome(input, deps.cluster, deps.planner, deps.limits);
  } catch (error) {
    const info = errorInfo(error);
    // Retry what may pass (cluster away, 5xx) while deliveries remain; then record the failure.
    if (info.retryable && ctx.deliveryCount < deps.maxDeliver) throw error;
    deps.logger.error({ opId: event.opId, err: error }, 'planning failed');
    outcome = failure(info);
  }
  span?.setAttribute(PlannerAttr.Outcome, outcome.map((d) => d.command.type).join(','));
  deps.metrics?.observe(outcome, (performance.now() - started) / 1000);
  try {
    await record(event, outcome, deps);
  } catch (error) {
    // decide() refused what was planned (an invalid plan or answer): that is this
    // operation's failure, recorded as such, not a poison message.
    if (!(error instanceof OpsError) || error.retryable) throw error;
    deps.logger.error({ opId: event.opId, err: error }, 'outcome refused; recording the failure');
    await record(event, failure(errorInfo(error)), deps);
  }
}

function inputOf(event: Requested): OperationInput {
  const p = event.payload;
  return {
    opId: event.opId,
    request: p.request,
    ...(p.namespace === undefined ? {} : { namespace: p.namespace }),
    scope: p.scope?.namespaces ?? null,
    clusterId: p.cluster.id,
    requestedBy: p.requestedBy,
  };
}

async function readState(
  deps: FlowDeps,
  opId: string,
): Promise<OperationState & { ids: Set<string> }> {
  const { events } = await deps.log.read(opId);
  const state = events.reduce(evolve, initialState);
  return { ...state, ids: new Set(events.map((e) => e.id)) };
}

/** Appends what is not stored yet, re-deciding on the latest state after a concurrent write. */
async function record(trigger: Requested, outcome: Decided[], deps: FlowDeps): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const state = await readState(deps, trigger.opId);
    if (!OPEN.has(state.phase)) return;
    const envelopes: UnsealedEnvelope[] = [];
    let folded: OperationState = state;
    const now = deps.now?.() ?? new Date();
    for (const { suffix, command } of outcome) {
      const id = `${trigger.id}:${suffix}`;
      if (state.ids.has(id)) continue;
      for (const pending of decide(command, folded, now)) {
        const envelope = newEventFrom(pending, {
          id,
          opId: trigger.opId,
          actor: PLANNER_ACTOR,
          causationId: trigger.id,
          correlationId: trigger.correlationId,
          occurredAt: now.toISOString(),
        });
        envelopes.push(envelope);
        folded = evolve(folded, envelope as unknown as OpsEvent);
      }
    }
    if (envelopes.length === 0) return;
    try {
      await deps.log.append(trigger.opId, envelopes, state.eventCount);
      deps.logger.info({ opId: trigger.opId, events: envelopes.map((e) => e.type) }, 'recorded');
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}
