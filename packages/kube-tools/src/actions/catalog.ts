import { z } from 'zod';
import { OpsError } from '@opsloop/contracts';
import type { Cluster } from '../cluster.ts';
import { KubeErrorCode } from '../errors.ts';
import { planAction, plannedPatchHolds } from './engine.ts';
import { DeletePod, RecreateJob, ResumeCronJob, SuspendCronJob } from './jobs.ts';
import { CordonNode, DrainNode, UncordonNode } from './node.ts';
import {
  SetContainerEnv,
  SetContainerResources,
  SetNodeSelector,
  SetProbe,
  SetTolerations,
} from './pod-template.ts';
import {
  AddNetworkPolicyRule,
  PatchServicePort,
  PatchServiceSelector,
  UpdateResourceQuota,
} from './service.ts';
import { SetConfigMapVolume } from './config-volume.ts';
import { ClearCommandOverride } from './command.ts';
import { ReplaceServiceHost } from './service-host.ts';
import { RecreateClaim } from './claims.ts';
import { SetImagePullSecrets } from './pull-secrets.ts';
import type { ActionDefinition, PlannedStep, Policy } from './types.ts';
import { DEFAULT_POLICY } from './types.ts';
import { RolloutRestart, RolloutUndo, ScaleWorkload, SetImage } from './workload.ts';

const ALL = [
  ScaleWorkload,
  SetImage,
  RolloutRestart,
  RolloutUndo,
  PatchServiceSelector,
  PatchServicePort,
  SetContainerResources,
  SetContainerEnv,
  SetProbe,
  SetNodeSelector,
  SetTolerations,
  SetImagePullSecrets,
  SetConfigMapVolume,
  AddNetworkPolicyRule,
  UpdateResourceQuota,
  CordonNode,
  UncordonNode,
  DrainNode,
  DeletePod,
  SuspendCronJob,
  ResumeCronJob,
  RecreateJob,
  ClearCommandOverride,
  ReplaceServiceHost,
  RecreateClaim,
] as ActionDefinition<never>[];

/** The closed catalog: nothing outside this table can be planned or applied. */
export const ACTIONS: Readonly<Record<string, ActionDefinition<never>>> = Object.freeze(
  Object.fromEntries(ALL.map((action) => [action.name, action])),
);

export type ActionName = keyof typeof ACTIONS;

export function getAction(name: string): ActionDefinition<never> {
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) {
    throw new OpsError(
      KubeErrorCode.UnknownAction,
      `"${name}" is not an action in the catalog (${Object.keys(ACTIONS).join(', ')})`,
      {
        details: { action: name },
      },
    );
  }
  return action;
}

export function planStep(
  name: string,
  args: unknown,
  cluster: Cluster,
  policy: Policy = DEFAULT_POLICY,
): Promise<PlannedStep> {
  return planAction(getAction(name), args, cluster, policy);
}

export function isApplied(step: PlannedStep, cluster: Cluster): Promise<boolean> {
  const action = getAction(step.action);
  return action.custom ? action.custom.isApplied(step, cluster) : plannedPatchHolds(step, cluster);
}

export function inverseOf(
  step: PlannedStep,
): { action: string; args: Record<string, unknown> } | null {
  return getAction(step.action).inverse(step);
}

/** JSON Schema of every action's arguments, for models that call tools. */
export function actionJsonSchemas(): { name: string; description: string; parameters: unknown }[] {
  return ALL.map((action) => ({
    name: action.name,
    description: action.description,
    parameters: z.toJSONSchema(action.schema as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}
