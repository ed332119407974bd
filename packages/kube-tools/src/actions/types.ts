import type { z } from 'zod';
import type { CheckSpec, Risk, Step } from '@opsloop/contracts';
import type { Cluster } from '../cluster.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import type { KubeObject } from '../types.ts';

/** A step as planned, without the id the plan assigns: drops straight into a contracts Plan. */
export type PlannedStep = Omit<Step, 'id'>;

export interface Policy {
  /** Namespaces no action may touch unless listed in `allowProtected` too. */
  protectedNamespaces: readonly string[];
  allowProtected: readonly string[];
}

export const DEFAULT_POLICY: Policy = {
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  allowProtected: [],
};

export interface TargetRef {
  kind: string;
  namespace: string | null;
  name: string;
}

/** What a single-patch action computes from the live object. */
export interface Change {
  /** add/replace ops; the engine prepends the drift guard's `test` ops (guard.ts). */
  ops: JsonPatchOp[];
  summary: string;
  risk?: Risk;
}

export interface ActionDefinition<A = Record<string, unknown>> {
  name: string;
  description: string;
  schema: z.ZodType<A>;
  risk: Risk;
  target(args: A): TargetRef;
  /** Extra objects read to compute the change (RolloutUndo reads ReplicaSets). */
  compute(live: KubeObject, args: A, cluster: Cluster): Promise<Change> | Change;
  checks(args: A, live: KubeObject): CheckSpec[];
  /** Args of the step that undoes `step`, or null when no action undoes it. */
  inverse(step: PlannedStep): { action: string; args: Record<string, unknown> } | null;
  /** Multi-call actions replace the engine's single guarded patch with their own. */
  custom?: CustomExecution<A>;
  /**
   * A value compute makes fresh each time (RolloutRestart's timestamp): when the executor
   * re-derives the step, the stored value at such a path is accepted if this returns true.
   */
  volatile?(path: string, value: unknown): boolean;
}

export interface CustomExecution<A> {
  plan(args: A, live: KubeObject, cluster: Cluster): Promise<Omit<PlannedStep, 'action' | 'args'>>;
  apply(step: PlannedStep, cluster: Cluster, write: WriteContext): Promise<StepObservation>;
  isApplied(step: PlannedStep, cluster: Cluster): Promise<boolean>;
}

export interface ApplyOptions {
  /** The protected-namespace policy the step is checked against again at write time. */
  policy?: Policy;
  /**
   * The operation this write belongs to (contracts' OpId). The write then also sets the
   * annotation `opsloop.dev/operation: <id>` on the object it patches or creates, in the same
   * request as the approved change (see apply.ts for why that stays inside the approval).
   */
  operationId?: string;
}

/** What applyStep hands a custom execution: the operation to record, the re-parsed args. */
export interface WriteContext {
  operationId?: string;
  /** The step's args as the action's schema parsed them (defaults filled in). */
  args?: unknown;
}

/**
 * What applyStep observed on the step's target (the object named by `step.target`):
 * `resourceVersionBefore` is the resourceVersion of the object the write was applied to
 * (the write is pinned to it), `resourceVersionAfter` the one the write produced, null when
 * the step deleted the target. Per multi-call action: see the action's apply.
 */
export interface StepObservation {
  resourceVersionBefore: string;
  resourceVersionAfter: string | null;
}

export const FIELD_MANAGER = 'opsloop-executor';
