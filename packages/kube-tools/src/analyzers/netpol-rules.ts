/**
 * How NetworkPolicies select pods and admit traffic, as the API defines it: policies of a
 * direction that select a pod add up, and a pod no policy of that direction selects is open.
 */
import type { KubeObject } from '../types.ts';
import { matchesLabelSelector } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';

export type Peer = {
  podSelector?: object;
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
};
export type Rule = {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
};

export function types(p: KubeObject): string[] {
  if (p.spec?.policyTypes?.length) return p.spec.policyTypes;
  return p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function selects(p: KubeObject, pod: KubeObject): boolean {
  const sel = p.spec?.podSelector ?? {};
  return (
    Object.keys(sel).length === 0 ||
    (Object.keys(sel.matchLabels ?? {}).length === 0 && !(sel.matchExpressions ?? []).length) ||
    matchesLabelSelector(pod.metadata.labels, sel)
  );
}

export function peerMatchesLocal(peer: Peer, namespace: string, pod: KubeObject): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector) {
    const labels = peer.namespaceSelector.matchLabels ?? {};
    const ours = Object.entries(labels).every(
      ([k, v]) => k === 'kubernetes.io/metadata.name' && v === namespace,
    );
    if (!ours) return false;
  }
  return peer.podSelector
    ? matchesLabelSelector(pod.metadata.labels, peer.podSelector as never) ||
        Object.keys(peer.podSelector).length === 0
    : true;
}

export function portAllowed(rule: Rule, port: number | string, protocol = 'TCP'): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some(
    (p) =>
      (p.protocol ?? 'TCP') === protocol &&
      (p.port === undefined ||
        p.port === port ||
        (typeof p.port === 'number' &&
          typeof port === 'number' &&
          p.endPort !== undefined &&
          port >= p.port &&
          port <= p.endPort)),
  );
}

const selectorSize = (p: KubeObject) =>
  Object.keys(p.spec?.podSelector?.matchLabels ?? {}).length +
  (p.spec?.podSelector?.matchExpressions ?? []).length;

/**
 * Whether the egress policies selecting `client` drop its traffic to `target` on every one
 * of `ports` (destination pod ports, as egress rules match them). When they do, `allowList`
 * is the policy to extend: the one selecting the client by labels (not a namespace-wide
 * default deny, whose job is to deny) that already has allow rules, else any selecting it
 * by labels; undefined when only namespace-wide policies select it.
 */
export function egressBlock(
  s: Snapshot,
  client: KubeObject,
  target: KubeObject,
  ports: (number | string)[],
): { blocked: boolean; policies: KubeObject[]; allowList?: KubeObject } {
  const policies = s.networkPolicies.filter(
    (p) => types(p).includes('Egress') && selects(p, client),
  );
  if (!policies.length) return { blocked: false, policies };
  const allowed = policies.some((p) =>
    ((p.spec?.egress ?? []) as Rule[]).some(
      (r) =>
        (!r.to?.length || r.to.some((peer) => peerMatchesLocal(peer, s.namespace, target))) &&
        ports.some((port) => portAllowed(r, port)),
    ),
  );
  const labelled = policies
    .filter((p) => selectorSize(p) > 0)
    .sort(
      (a, b) =>
        Number((b.spec?.egress ?? []).length > 0) - Number((a.spec?.egress ?? []).length > 0) ||
        selectorSize(b) - selectorSize(a),
    );
  return { blocked: !allowed, policies, ...(labelled[0] ? { allowList: labelled[0] } : {}) };
}
