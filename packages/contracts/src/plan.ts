import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { ApiVersion, DnsLabel, DnsSubdomain, Kind } from './kube-names.ts';

/** Names of typed actions and checks from the closed catalogs (kube-tools), e.g. ScaleWorkload. */
export const CatalogName = z
  .string()
  .regex(/^[A-Z][A-Za-z]{2,63}$/, 'must be a catalog name in PascalCase, e.g. "ScaleWorkload"');

/** Arguments of an action or check: plain JSON, validated further by the catalog's own schema. */
export const JsonArgs = z.record(z.string().max(128), z.json());
export type JsonArgs = z.infer<typeof JsonArgs>;

export const StepTarget = z.object({
  apiVersion: ApiVersion,
  kind: Kind,
  /** null for cluster-scoped kinds (Node, Namespace, ClusterRole, ...). */
  namespace: DnsLabel.nullable(),
  name: DnsSubdomain,
  /**
   * The object's resourceVersion when the step was planned, for the audit trail. The write
   * is guarded by the planned desired state (the patch's `test` ops), not by this: status
   * writes change it without changing what was approved.
   */
  resourceVersion: z.string().min(1).max(64),
});
export type StepTarget = z.infer<typeof StepTarget>;

export const StepPatch = z.object({
  type: z.enum(['json', 'merge', 'strategic', 'apply']),
  body: z.json(),
});
export type StepPatch = z.infer<typeof StepPatch>;

/** One line of the server-side dry-run diff the approver is shown. */
export const DiffEntry = z.object({
  path: z.string().min(1).max(512),
  before: z.json(),
  after: z.json(),
});

export const Risk = z.enum(['low', 'medium', 'high', 'destructive']);
export type Risk = z.infer<typeof Risk>;

export const CheckSpec = z.object({ name: CatalogName, args: JsonArgs });
export type CheckSpec = z.infer<typeof CheckSpec>;

/** Size caps of a step, exported so producers (kube-tools' actions) fit them before emitting. */
export const STEP_LIMITS = { summary: 500, diffEntries: 200, checks: 20 } as const;

export const Step = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a short lowercase id such as "s1"'),
  action: CatalogName,
  args: JsonArgs,
  target: StepTarget,
  patch: StepPatch.optional(),
  diff: z.array(DiffEntry).max(STEP_LIMITS.diffEntries),
  risk: Risk,
  /** Postconditions the verifier must see pass after this step (rollout complete, endpoints ready, ...). */
  checks: z.array(CheckSpec).max(STEP_LIMITS.checks),
  summary: z.string().min(1).max(STEP_LIMITS.summary),
});
export type Step = z.infer<typeof Step>;

export const PLAN_SCHEMA_VERSION = 1;

export const Plan = z
  .object({
    schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
    clusterId: z.string().min(1).max(128),
    steps: z.array(Step).min(1).max(50),
    rationale: z.string().min(1).max(4000),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.steps.forEach((step, index) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `duplicate step id "${step.id}"`,
        });
      }
      seen.add(step.id);
    });
  });
export type Plan = z.infer<typeof Plan>;

/**
 * The part of a plan an approval is bound to. Included: schema version, cluster, and for
 * every step in order its id, action, args, target (with the planned resourceVersion),
 * patch, dry-run diff, risk and checks — everything that decides what is written, where,
 * against which object state, what the approver was told would change and how success is
 * judged (dropping checks would let a weaker verification pass under the same approval).
 * Excluded: `rationale` and step `summary`, free prose that changes nothing in the
 * cluster; it is still tamper-evident because the PlanProposed event carrying it is in
 * the operation's hash chain.
 */
export function planHashInput(plan: Plan): unknown {
  return {
    schemaVersion: plan.schemaVersion,
    clusterId: plan.clusterId,
    steps: plan.steps.map((step) => ({
      id: step.id,
      action: step.action,
      args: step.args,
      target: step.target,
      patch: step.patch ?? null,
      diff: step.diff,
      risk: step.risk,
      checks: step.checks,
    })),
  };
}

/** sha256 hex of the canonical JSON of planHashInput(plan); independent of key order. */
export function planHash(plan: Plan): string {
  return sha256Hex(canonicalJson(planHashInput(plan)));
}

export const PlanHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256');
