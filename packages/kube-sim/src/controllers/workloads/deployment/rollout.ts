/**
 * The arithmetic of a Deployment rollout as pure functions (after
 * k8s.io/kubernetes/pkg/controller/deployment/util): surge and unavailability budgets, how
 * far the new ReplicaSet may grow, how far old ones may shrink. Inputs are plain numbers,
 * so every rule is unit-tested without a cluster.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../objects.ts';

export type IntOrString = number | string | undefined;

/** An absolute or "25%" value scaled against `total`, rounding up (surge) or down (unavailable). */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) return Number.parseInt(value, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** [maxSurge, maxUnavailable]; both zero is not allowed, so unavailable becomes 1 (ResolveFenceposts). */
export function fenceposts(
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
  replicas: number,
): [number, number] {
  const surge = scaledValue(maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export interface RsCounts {
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
}

/** Replicas the new ReplicaSet should have now (NewRSNewReplicas for RollingUpdate). */
export function newReplicaSetTarget(
  desired: number,
  maxSurge: number,
  newRs: RsCounts,
  all: RsCounts[],
): number {
  const current = all.reduce((sum, rs) => sum + rs.replicas, 0);
  const room = desired + maxSurge - current;
  if (room <= 0) return newRs.replicas;
  return newRs.replicas + Math.min(room, desired - newRs.replicas);
}

/**
 * How many replicas each old ReplicaSet keeps (same order as `old`, oldest first), after
 * reconcileOldReplicaSets: unhealthy old pods go first, then healthy ones while the
 * availability floor (desired - maxUnavailable) holds.
 */
export function oldReplicaSetTargets(
  desired: number,
  maxUnavailable: number,
  newRs: RsCounts,
  old: RsCounts[],
): number[] {
  const targets = old.map((rs) => rs.replicas);
  const oldTotal = targets.reduce((s, r) => s + r, 0);
  if (oldTotal === 0) return targets;
  const allTotal = oldTotal + newRs.replicas;
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = newRs.replicas - newRs.available;
  let budget = allTotal - minAvailable - newUnavailable;
  if (budget <= 0) return targets;
  // 1. Unhealthy replicas of old sets cost no availability: remove them first.
  old.forEach((rs, i) => {
    const unhealthy = Math.max(0, rs.replicas - rs.available);
    const cut = Math.min(unhealthy, budget);
    targets[i] = rs.replicas - cut;
    budget -= cut;
  });
  // 2. Healthy ones only while enough stay available.
  const available =
    newRs.available + old.reduce((s, rs, i) => s + Math.min(rs.available, targets[i]!), 0);
  let scaleDown = available - minAvailable;
  for (let i = 0; i < targets.length && scaleDown > 0; i++) {
    const cut = Math.min(targets[i]!, scaleDown);
    targets[i]! -= cut;
    scaleDown -= cut;
  }
  return targets;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** pod-template-hash: fnv-1a (32 bit) of the template (+ collisionCount), in the safe alphabet. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text =
    canonicalJson(withoutHashLabel(template)) + (collisionCount > 0 ? String(collisionCount) : '');
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((ch) => SAFE[ch.charCodeAt(0) % SAFE.length]).join('');
}

/** The template as the Deployment holds it: without the pod-template-hash label its RS adds. */
export function withoutHashLabel(template: unknown): unknown {
  const t = template as { metadata?: { labels?: Record<string, string> } } | undefined;
  if (!t?.metadata?.labels || !('pod-template-hash' in t.metadata.labels)) return template;
  const { 'pod-template-hash': _h, ...labels } = t.metadata.labels;
  return { ...t, metadata: { ...t.metadata, labels } };
}

export function sameTemplate(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}

/** A short digest for ControllerRevision names (StatefulSet, DaemonSet). */
export function revisionHash(value: unknown): string {
  const hex = createHash('sha256').update(canonicalJson(value)).digest('hex');
  return podTemplateHash(hex).slice(0, 10);
}
