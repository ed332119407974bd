/** Small helpers on object metadata shared by the write pipeline. */
import { randomUUID } from 'node:crypto';
import type { KObject } from './types.ts';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix generateName gets (the API server's alphabet avoids vowels). */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return out;
}

/** An object timestamp (RFC 3339, whole seconds) for `ms` epoch milliseconds. */
export function nowTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export function newUid(): string {
  return randomUUID();
}

/**
 * Kinds whose API server strategy sets `metadata.generation` (1 on create, +1 on each change
 * of the desired state), as in Kubernetes 1.31. Every other kind (Pod, Service, ConfigMap,
 * Namespace, Role, Node, PVC, …) has none. kube-tools' drift guard tests the generation of
 * the workload kinds, so these must keep it.
 */
export const GENERATION_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'Ingress',
  'IngressClass',
  'EndpointSlice',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'CustomResourceDefinition',
]);

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specPart(object: KObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return JSON.stringify(rest);
}

export function deepEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
