import { z } from 'zod';
import { PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import { LabelName, Name } from '../validation.ts';
import {
  POD_SPEC,
  diffBefore,
  rolloutChecks,
  workloadArgs,
  workloadFields,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition } from './types.ts';

const ConfigMapVolumeArgs = z.strictObject({
  ...workloadFields,
  /** The pod template's volume (by name) whose ConfigMap source is repointed. */
  volume: LabelName,
  configMap: Name,
});

/**
 * Point a ConfigMap volume at another ConfigMap that EXISTS in the namespace (and holds every
 * key the volume's `items` select). It never creates or edits a ConfigMap: what the
 * workload reads is still whatever the cluster holds.
 */
export const SetConfigMapVolume: ActionDefinition<z.infer<typeof ConfigMapVolumeArgs>> = {
  name: 'SetConfigMapVolume',
  description:
    "Point one of a workload's ConfigMap volumes at another existing ConfigMap (by name; never creates or edits one).",
  schema: ConfigMapVolumeArgs,
  risk: 'medium',
  target: workloadTarget,
  async compute(live, a, cluster) {
    const volumes = (live.spec?.template?.spec?.volumes ?? []) as {
      name: string;
      configMap?: { name?: string; items?: { key: string }[] };
    }[];
    const index = volumes.findIndex((v) => v.name === a.volume);
    const source = volumes[index]?.configMap;
    if (index < 0 || !source)
      throw new PreconditionError(
        'SetConfigMapVolume',
        `${a.kind} ${a.namespace}/${a.name} has no ConfigMap volume "${a.volume}" (ConfigMap volumes: ${
          volumes
            .filter((v) => v.configMap)
            .map((v) => v.name)
            .join(', ') || 'none'
        })`,
      );
    const target = await cluster.get('ConfigMap', a.namespace, a.configMap);
    if (!target)
      throw new PreconditionError(
        'SetConfigMapVolume',
        `no ConfigMap ${a.configMap} in ${a.namespace}; a person must create it with the right content`,
      );
    const keys = new Set([
      ...Object.keys((target.data as object) ?? {}),
      ...Object.keys((target.binaryData as object) ?? {}),
    ]);
    const missing = (source.items ?? []).map((i) => i.key).filter((k) => !keys.has(k));
    if (missing.length)
      throw new PreconditionError(
        'SetConfigMapVolume',
        `ConfigMap ${a.configMap} lacks the key(s) ${missing.join(', ')} that volume ${a.volume} mounts`,
      );
    return {
      ops: setOps(live, [...POD_SPEC, 'volumes', index, 'configMap', 'name'], a.configMap),
      summary: `mount ConfigMap ${a.configMap} instead of ${String(source.name)} as volume ${a.volume} of ${a.kind} ${a.namespace}/${a.name}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const before = diffBefore(step, '.configMap.name');
    return typeof before === 'string'
      ? {
          action: 'SetConfigMapVolume',
          args: { ...workloadArgs(step), volume: step.args.volume, configMap: before },
        }
      : null;
  },
};
