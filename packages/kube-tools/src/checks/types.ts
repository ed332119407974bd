import type { z } from 'zod';
import type { Cluster } from '../cluster.ts';

export interface CheckResult {
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
  evaluate(args: A, cluster: Cluster, now: Date): Promise<CheckResult>;
}
