import type { CheckSpec } from '@opsloop/contracts';
import type { Cluster } from '../cluster.ts';
import {
  InvalidArgsError,
  PreconditionError,
  KubeApiError,
  ProtectedNamespaceError,
  TargetNotFoundError,
} from '../errors.ts';
import { getAt, opsHold, parsePointer, readablePath, toJson } from '../json-pointer.ts';
import type { JsonPatchOp } from '../json-pointer.ts';
import { kindInfo } from '../kinds.ts';
import { refString } from '../types.ts';
import type { KubeObject } from '../types.ts';
import { fitSummary } from './common.ts';
import { dryRunIfAllowed } from './dry-run.ts';
import { guardOps } from './guard.ts';
import { DEFAULT_POLICY, FIELD_MANAGER } from './types.ts';
import type { ActionDefinition, PlannedStep, Policy } from './types.ts';

/** Validate args strictly; the zod message says which field is wrong. */
export function parseArgs<A>(action: ActionDefinition<A>, args: unknown): A {
  const result = action.schema.safeParse(args);
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`)
      .join('; ');
    throw new InvalidArgsError(action.name, issues);
  }
  return result.data;
}

export function assertNamespaceAllowed(
  action: string,
  namespace: string | null,
  policy: Policy,
): void {
  if (
    namespace &&
    policy.protectedNamespaces.includes(namespace) &&
    !policy.allowProtected.includes(namespace)
  ) {
    throw new ProtectedNamespaceError(action, namespace);
  }
}

export async function readTarget(
  cluster: Cluster,
  kind: string,
  namespace: string | null,
  name: string,
): Promise<KubeObject> {
  const live = await cluster.get(kind, namespace, name);
  if (!live) throw new TargetNotFoundError(refString({ kind, namespace, name }));
  return live;
}

/**
 * Read the target, compute the change, dry-run it on the server, return the step. Someone
 * may change the target's desired state between our read and the dry run, which the guard
 * then refuses; such a plan is simply recomputed from a new read, a few times at most.
 */
export async function planAction<A>(
  action: ActionDefinition<A>,
  rawArgs: unknown,
  cluster: Cluster,
  policy: Policy = DEFAULT_POLICY,
): Promise<PlannedStep> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await planActionOnce(action, rawArgs, cluster, policy);
    } catch (error) {
      const raced =
        error instanceof KubeApiError &&
        (error.status === 409 || error.status === 422) &&
        /testing value|resourceVersion/i.test(error.message);
      if (!raced || attempt >= 4) throw error;
    }
  }
}

async function planActionOnce<A>(
  action: ActionDefinition<A>,
  rawArgs: unknown,
  cluster: Cluster,
  policy: Policy = DEFAULT_POLICY,
): Promise<PlannedStep> {
  const args = parseArgs(action, rawArgs);
  const ref = action.target(args);
  assertNamespaceAllowed(action.name, ref.namespace, policy);
  const live = await readTarget(cluster, ref.kind, ref.namespace, ref.name);
  const target = {
    apiVersion: kindInfo(ref.kind).apiVersion,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    resourceVersion: String(live.metadata.resourceVersion),
  };
  const checks: CheckSpec[] = action.checks(args, live);
  if (action.custom) {
    const planned = await action.custom.plan(args, live, cluster);
    return {
      action: action.name,
      args: args as PlannedStep['args'],
      ...planned,
      checks: planned.checks.length ? planned.checks : checks,
      summary: fitSummary(planned.summary),
    };
  }
  const change = await action.compute(live, args, cluster);
  if (opsHold(live, change.ops)) {
    throw new PreconditionError(
      action.name,
      `${refString(ref)} already has the requested state; nothing to change`,
    );
  }
  const body = [...guardOps(live, change.ops), ...change.ops];
  const dryRun = await dryRunIfAllowed(() =>
    cluster.patch(
      ref.kind,
      ref.namespace,
      ref.name,
      { type: 'json', body },
      { dryRun: true, fieldManager: FIELD_MANAGER },
    ),
  );
  const diff = change.ops
    .filter((op) => op.op !== 'test')
    .map((op) => {
      const segments = parsePointer(op.path);
      const planned = op.op === 'remove' ? null : op.value;
      return {
        path: readablePath(live, op.path),
        before: toJson(getAt(live, segments)),
        after: toJson(dryRun === undefined ? planned : getAt(dryRun, segments)),
      };
    });
  return {
    action: action.name,
    args: args as PlannedStep['args'],
    target,
    patch: { type: 'json', body: body as never },
    diff: diff as PlannedStep['diff'],
    risk: change.risk ?? action.risk,
    checks,
    summary: fitSummary(change.summary),
  };
}

/** Whether the live object already shows every planned change (a retry must not write again). */
export async function plannedPatchHolds(step: PlannedStep, cluster: Cluster): Promise<boolean> {
  const live = await cluster.get(step.target.kind, step.target.namespace, step.target.name);
  if (!live || !step.patch || !Array.isArray(step.patch.body)) return false;
  if (live.metadata.resourceVersion === step.target.resourceVersion) return false;
  return opsHold(live, step.patch.body as unknown as JsonPatchOp[]);
}
