import { z } from 'zod';
import { Name, Namespace, parseQuantity } from '../validation.ts';
import { conditionOf } from '../analyzers/helpers.ts';
import type { CheckDefinition } from './types.ts';

const NsName = z.strictObject({ namespace: Namespace, name: Name });

export const EndpointsReady: CheckDefinition<{ namespace: string; service: string; min: number }> =
  {
    name: 'EndpointsReady',
    description: 'The service has at least `min` ready endpoint addresses.',
    schema: z.strictObject({
      namespace: Namespace,
      service: Name,
      min: z.number().int().min(0).max(10_000).default(1),
    }),
    async evaluate(a, cluster) {
      const endpoints = await cluster.get('Endpoints', a.namespace, a.service);
      const subsets = (endpoints?.subsets ?? []) as {
        addresses?: unknown[];
        notReadyAddresses?: unknown[];
      }[];
      const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
      const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
      const passed = ready >= a.min;
      return {
        passed,
        observed: { ready, notReady },
        message: `${ready} ready endpoint(s) (need ${a.min}), ${notReady} not ready`,
      };
    },
  };

export const JobComplete: CheckDefinition<z.infer<typeof NsName>> = {
  name: 'JobComplete',
  description: 'The Job finished successfully.',
  schema: NsName,
  async evaluate(a, cluster) {
    const job = await cluster.get('Job', a.namespace, a.name);
    const complete = conditionOf(job, 'Complete')?.status === 'True';
    const failed = conditionOf(job, 'Failed');
    const observed = {
      exists: job !== null,
      succeeded: job?.status?.succeeded ?? 0,
      failed: job?.status?.failed ?? 0,
      active: job?.status?.active ?? 0,
    };
    const message = complete
      ? 'job complete'
      : failed?.status === 'True'
        ? `job failed: ${failed.reason ?? ''}`
        : job
          ? 'job not finished yet'
          : 'job does not exist';
    return { passed: complete, observed, message };
  },
};

export const PvcBound: CheckDefinition<z.infer<typeof NsName>> = {
  name: 'PvcBound',
  description: 'The PersistentVolumeClaim is bound to a volume.',
  schema: NsName,
  async evaluate(a, cluster) {
    const pvc = await cluster.get('PersistentVolumeClaim', a.namespace, a.name);
    const phase = pvc?.status?.phase ?? (pvc ? 'Pending' : 'Missing');
    return {
      passed: phase === 'Bound',
      observed: { phase, volume: pvc?.spec?.volumeName ?? null },
      message: `claim is ${phase}`,
    };
  },
};

export const QuotaWithinLimits: CheckDefinition<z.infer<typeof NsName>> = {
  name: 'QuotaWithinLimits',
  description:
    'Every resource the quota tracks is used below its hard limit (so new pods can be admitted).',
  schema: NsName,
  async evaluate(a, cluster) {
    const quota = await cluster.get('ResourceQuota', a.namespace, a.name);
    if (!quota)
      return { passed: false, observed: { exists: false }, message: 'quota does not exist' };
    const hard = (quota.status?.hard ?? quota.spec?.hard ?? {}) as Record<string, string>;
    const used = (quota.status?.used ?? {}) as Record<string, string>;
    const full = Object.keys(hard).filter(
      (k) => parseQuantity(used[k]) >= parseQuantity(hard[k]) && parseQuantity(hard[k]) > 0,
    );
    return {
      passed: full.length === 0,
      observed: { hard, used },
      message:
        full.length === 0
          ? 'all quota resources below their limits'
          : `at the limit: ${full.map((k) => `${k} ${used[k]}/${hard[k]}`).join(', ')}`,
    };
  },
};

export const HpaActive: CheckDefinition<z.infer<typeof NsName>> = {
  name: 'HpaActive',
  description: 'The HorizontalPodAutoscaler can compute its metrics and scale.',
  schema: NsName,
  async evaluate(a, cluster) {
    const hpa = await cluster.get('HorizontalPodAutoscaler', a.namespace, a.name);
    const active = conditionOf(hpa, 'ScalingActive');
    const able = conditionOf(hpa, 'AbleToScale');
    const passed = active?.status === 'True' && able?.status !== 'False';
    return {
      passed,
      observed: {
        scalingActive: active?.status ?? 'Unknown',
        ableToScale: able?.status ?? 'Unknown',
        reason: active?.reason ?? null,
      },
      message: passed
        ? 'autoscaler active'
        : `autoscaler inactive: ${active?.reason ?? 'no ScalingActive condition'} ${active?.message ?? ''}`.trim(),
    };
  },
};

export const NodeReady: CheckDefinition<{ name: string }> = {
  name: 'NodeReady',
  description: 'The node reports Ready.',
  schema: z.strictObject({ name: Name }),
  async evaluate(a, cluster) {
    const node = await cluster.get('Node', null, a.name);
    const ready = conditionOf(node, 'Ready');
    return {
      passed: ready?.status === 'True',
      observed: {
        ready: ready?.status ?? 'Unknown',
        reason: ready?.reason ?? null,
        unschedulable: node?.spec?.unschedulable ?? false,
      },
      message:
        ready?.status === 'True'
          ? 'node ready'
          : `node not ready: ${ready?.reason ?? 'no Ready condition'}`,
    };
  },
};
