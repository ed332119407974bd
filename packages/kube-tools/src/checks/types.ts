import type { z } from 'zod';
import type { Cluster } from '../cluster.ts';

/**
 * What a check's evaluate() returns; runCheck turns it into contracts' CheckVerdict (the
 * one shape that leaves kube-tools: JSON-only observed values, message within the caps).
 */
export interface Evaluation {
  passed: boolean;
  /** The values the verdict rests on, for the audit trail and the approver. */
  observed: Record<string, unknown>;
  message: string;
}

export interface CheckDefinition<A = Record<string, unknown>> {
  name: string;
  description: string;
  schema: z.ZodType<A>;
  /** One evaluation from fresh API reads; the verifier decides how often to retry. */
  evaluate(args: A, cluster: Cluster, now: Date): Promise<Evaluation>;
}
