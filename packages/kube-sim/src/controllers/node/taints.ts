/**
 * Taint/toleration matching with the rules of k8s.io/api core/v1 Toleration.ToleratesTaint:
 * an empty toleration effect matches every effect, an empty key with operator Exists
 * matches every key, and the default operator is Equal.
 */
import type { Taint, Toleration } from './pod-model.ts';

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  return (toleration.key ?? '') === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

export function isTolerated(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/** The first taint with one of `effects` the pod does not tolerate (scheduling filters). */
export function firstUntolerated(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  effects: Taint['effect'][],
): Taint | undefined {
  return (taints ?? []).find((t) => effects.includes(t.effect) && !isTolerated(tolerations, t));
}

/** "{dedicated: gpu}", as kube-scheduler prints a taint in "had untolerated taint …". */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
export const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';
export const DISK_PRESSURE_TAINT = 'node.kubernetes.io/disk-pressure';
export const PID_PRESSURE_TAINT = 'node.kubernetes.io/pid-pressure';
