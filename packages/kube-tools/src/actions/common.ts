import { z } from 'zod';
import { STEP_LIMITS } from '@opsloop/contracts';
import type { CheckSpec } from '@opsloop/contracts';
import { selectorString } from '../analyzers/helpers.ts';
import { PreconditionError } from '../errors.ts';
import type { Segment } from '../json-pointer.ts';
import { quoteJson } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { ContainerName, Name, Namespace } from '../validation.ts';
import type { PlannedStep } from './types.ts';

export const WorkloadKind = z.enum(['Deployment', 'StatefulSet', 'DaemonSet']);
export type WorkloadKind = z.infer<typeof WorkloadKind>;

/** Fields every workload action takes; objects are strict so no extra key slips through. */
export const workloadFields = { namespace: Namespace, kind: WorkloadKind, name: Name };
export const containerFields = { ...workloadFields, container: ContainerName };

export const POD_SPEC: Segment[] = ['spec', 'template', 'spec'];

/** The target of a workload action: the workload its args name. */
export const workloadTarget = (a: { kind: string; namespace: string; name: string }) => ({
  kind: a.kind,
  namespace: a.namespace,
  name: a.name,
});

export interface ContainerLocation {
  list: 'containers' | 'initContainers';
  index: number;
  container: Record<string, unknown>;
  segments: Segment[];
}

/** Find a container (or init container) by name in a workload's pod template. */
export function findContainer(action: string, live: KubeObject, name: string): ContainerLocation {
  for (const list of ['containers', 'initContainers'] as const) {
    const items = (live.spec?.template?.spec?.[list] ?? []) as Record<string, unknown>[];
    const index = items.findIndex((c) => c.name === name);
    if (index >= 0)
      return { list, index, container: items[index]!, segments: [...POD_SPEC, list, index] };
  }
  const names = ((live.spec?.template?.spec?.containers ?? []) as { name: string }[]).map(
    (c) => c.name,
  );
  throw new PreconditionError(
    action,
    `${live.kind} ${live.metadata.name} has no container "${name}" (containers: ${names.join(', ')})`,
  );
}

/** The checks any pod-template change implies: the rollout finishes and the new pods stay healthy. */
export function rolloutChecks(
  args: { namespace: string; kind: string; name: string },
  live: KubeObject,
): CheckSpec[] {
  const selector = selectorString(live.spec?.selector?.matchLabels);
  const checks: CheckSpec[] = [
    {
      name: 'RolloutComplete',
      args: { namespace: args.namespace, kind: args.kind, name: args.name },
    },
  ];
  if (selector)
    checks.push({
      name: 'PodsHealthy',
      args: { namespace: args.namespace, selector, stableSeconds: 30 },
    });
  return checks;
}

export function diffBefore(step: PlannedStep, pathSuffix: string): unknown {
  return step.diff.find((entry) => entry.path.endsWith(pathSuffix))?.before;
}

export function workloadArgs(step: PlannedStep): { namespace: string; kind: string; name: string } {
  return {
    namespace: String(step.args.namespace),
    kind: String(step.args.kind),
    name: String(step.args.name),
  };
}

/** workloadArgs plus the step's container, for the inverse of a container action. */
export function containerStepArgs(step: PlannedStep) {
  return { ...workloadArgs(step), container: step.args.container };
}

/**
 * A value from the args (selectors, tolerations, rules) in a summary: compact JSON, capped,
 * so a summary never grows with what the caller sent. The full value is in the diff.
 */
export const summaryJson = (value: unknown, max = 160): string => quoteJson(value, max);

/** Every summary fits contracts' Step.summary; names alone can add up to more. */
export function fitSummary(summary: string): string {
  const max = STEP_LIMITS.summary;
  return summary.length > max ? `${summary.slice(0, max - 1)}…` : summary;
}
