import { z } from 'zod';
import { CHECK_LIMITS, CheckVerdict } from '@opsloop/contracts';
import type { CheckSpec } from '@opsloop/contracts';
import type { Cluster } from '../cluster.ts';
import { InvalidArgsError } from '../errors.ts';
import {
  EndpointsReady,
  HpaActive,
  JobComplete,
  NodeReady,
  PvcBound,
  QuotaWithinLimits,
} from './state-checks.ts';
import type { CheckDefinition, Evaluation } from './types.ts';
import {
  NoNewWarningEvents,
  PodsHealthy,
  RolloutComplete,
  ServiceResponds,
} from './workload-checks.ts';

const ALL = [
  RolloutComplete,
  EndpointsReady,
  PodsHealthy,
  NoNewWarningEvents,
  ServiceResponds,
  JobComplete,
  PvcBound,
  QuotaWithinLimits,
  HpaActive,
  NodeReady,
] as CheckDefinition<never>[];

export const CHECKS: Readonly<Record<string, CheckDefinition<never>>> = Object.freeze(
  Object.fromEntries(ALL.map((c) => [c.name, c])),
);

/**
 * The evaluation as contracts' CheckVerdict: observed values made plain JSON (undefined
 * dropped), message capped; it then maps onto CheckPassed/CheckFailed (checkCommand).
 */
export function toVerdict(evaluation: Evaluation): CheckVerdict {
  const max = CHECK_LIMITS.message;
  const message = evaluation.message.trim() || (evaluation.passed ? 'passed' : 'failed');
  const candidate = {
    passed: evaluation.passed,
    observed: JSON.parse(JSON.stringify(evaluation.observed ?? {})) as Record<string, unknown>,
    message: message.length > max ? `${message.slice(0, max - 1)}…` : message,
  };
  const parsed = CheckVerdict.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // A check that saw too much to record still fails closed, never with an unrecordable verdict.
  return {
    passed: false,
    observed: {},
    message: `the check's result could not be recorded: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
  };
}

/**
 * Run one check once, bounded by `timeoutMs`. A timeout or API error is a failed check
 * with the reason in the message, never an exception: the verifier records it and moves on.
 */
export async function runCheck(
  spec: CheckSpec,
  cluster: Cluster,
  options: { timeoutMs?: number; now?: Date } = {},
): Promise<CheckVerdict> {
  const check = Object.hasOwn(CHECKS, spec.name) ? CHECKS[spec.name] : undefined;
  if (!check)
    throw new InvalidArgsError(
      spec.name,
      `"${spec.name}" is not a check in the catalog (${Object.keys(CHECKS).join(', ')})`,
    );
  const parsed = (check.schema as z.ZodType).safeParse(spec.args);
  if (!parsed.success)
    throw new InvalidArgsError(
      spec.name,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Evaluation>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          passed: false,
          observed: { timeoutMs },
          message: `check timed out after ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
  });
  try {
    const evaluation = await Promise.race([
      check
        .evaluate(parsed.data as never, cluster, options.now ?? new Date())
        .catch((error: unknown) => ({
          passed: false,
          observed: { error: (error as Error).message },
          message: `check could not read the cluster: ${(error as Error).message}`,
        })),
      timeout,
    ]);
    return toVerdict(evaluation);
  } finally {
    clearTimeout(timer);
  }
}

export function checkJsonSchemas(): { name: string; description: string; parameters: unknown }[] {
  return ALL.map((c) => ({
    name: c.name,
    description: c.description,
    parameters: z.toJSONSchema(c.schema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}
