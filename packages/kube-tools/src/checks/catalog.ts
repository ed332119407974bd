import { z } from 'zod';
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
import type { CheckDefinition, CheckResult } from './types.ts';
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
 * Run one check once, bounded by `timeoutMs`. A timeout or API error is a failed check
 * with the reason in the message, never an exception: the verifier records it and moves on.
 */
export async function runCheck(
  spec: CheckSpec,
  cluster: Cluster,
  options: { timeoutMs?: number; now?: Date } = {},
): Promise<CheckResult> {
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
  const timeout = new Promise<CheckResult>((resolve) => {
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
    return await Promise.race([
      check
        .evaluate(parsed.data as never, cluster, options.now ?? new Date())
        .catch((error: unknown) => ({
          passed: false,
          observed: { error: (error as Error).message },
          message: `check could not read the cluster: ${(error as Error).message}`,
        })),
      timeout,
    ]);
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
