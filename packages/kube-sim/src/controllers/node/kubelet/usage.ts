/**
 * What a running container uses now: the image's base usage plus the load its process adds
 * from a point of its timeline on (dd, yes, busy loops); cpu never above the container's
 * limit (the CFS quota throttles it there).
 */
import { cpuMillis } from '../../../quantity.ts';
import type { ContainerSlot } from './container.ts';

export function containerUsage(
  slot: ContainerSlot,
  nowMs: number,
): { cpuMilli: number; memoryBytes: number } {
  const plan = slot.plan!;
  const up = (nowMs - slot.startedAtMs) / 1000;
  const step = (plan.usageSteps ?? []).filter((u) => u.atSeconds <= up).at(-1);
  const cpuLimit = slot.spec.resources?.limits?.['cpu'];
  const cpu = plan.usage.cpuMilli + (step?.cpuMilli ?? 0);
  return {
    cpuMilli: cpuLimit === undefined ? cpu : Math.min(cpu, cpuMillis(cpuLimit)),
    memoryBytes: plan.usage.memoryBytes + (step?.memoryBytes ?? 0),
  };
}
