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
}

export interface CustomExecution<A> {
  plan(args: A, live: KubeObject, cluster: Cluster): Promise<Omit<PlannedStep, 'action' | 'args'>>;
  apply(step: PlannedStep, cluster: Cluster): Promise<void>;
  isApplied(step: PlannedStep, cluster: Cluster): Promise<boolean>;
}

export const FIELD_MANAGER = 'opsloop-executor';
