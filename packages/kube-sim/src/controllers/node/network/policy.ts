/**
 * NetworkPolicy evaluation (networking.k8s.io/v1), pure: is a connection from a source to
 * a destination pod on a port allowed? A pod selected by no policy of a direction is
 * non-isolated in that direction; a selected pod accepts only what some rule allows.
 */
import type { KObject } from '../../../api/types.ts';
import { labelSelectorMatches, type LabelSelector } from '../../../store/selectors.ts';
import type { PodObject } from '../pod-model.ts';

/** The far end of a connection: a pod, or something outside the pod network (the API server). */
export interface Endpoint {
  ip: string;
  pod?: PodObject;
  /** Labels of the pod's namespace (kubernetes.io/metadata.name included). */
  namespaceLabels?: Record<string, string>;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}

interface PolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

function specOf(policy: KObject): PolicySpec {
  return (policy['spec'] ?? {}) as PolicySpec;
}

export function policyTypes(policy: KObject): string[] {
  const spec = specOf(policy);
  if (spec.policyTypes?.length) return spec.policyTypes;
  return spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipToInt(ip);
  const b = ipToInt(base ?? '');
  const bits = Number(bitsText ?? '32');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  if (bits === 0) return true;
  const mask = (~0 << (32 - bits)) >>> 0;
  return (a & mask) === (b & mask);
}

function peerMatches(peer: Peer, other: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (!inCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  // Pod-based peers never match traffic from outside the pod network.
  if (!other.pod) return false;
  const podLabels = other.pod.metadata.labels ?? {};
  if (peer.namespaceSelector) {
    if (!labelSelectorMatches(peer.namespaceSelector, other.namespaceLabels ?? {})) return false;
    return peer.podSelector ? labelSelectorMatches(peer.podSelector, podLabels) : true;
  }
  if (other.pod.metadata.namespace !== policyNamespace) return false;
  return labelSelectorMatches(peer.podSelector ?? {}, podLabels);
}

/** `port` is the destination port number; named policy ports resolve on the destination pod. */
function portMatches(
  ports: PolicyPort[] | undefined,
  port: number,
  protocol: string,
  destination: PodObject | undefined,
): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) {
      const named = destination?.spec.containers
        .flatMap((c) => c.ports ?? [])
        .find((cp) => cp.name === p.port);
      return named?.containerPort === port && (named.protocol ?? 'TCP') === protocol;
    }
    const start = Number(p.port);
    return port >= start && port <= (p.endPort ?? start);
  });
}

function selects(policy: KObject, pod: PodObject, type: 'Ingress' | 'Egress'): boolean {
  return (
    policy.metadata.namespace === pod.metadata.namespace &&
    policyTypes(policy).includes(type) &&
    labelSelectorMatches(specOf(policy).podSelector ?? {}, pod.metadata.labels ?? {})
  );
}

export interface Verdict {
  allowed: boolean;
  /** The policy that isolates the pod when not allowed ("shop/deny-all"). */
  isolatedBy?: string;
}

/** May `destination` (a pod) accept a connection from `source` on port/protocol? */
export function ingressAllowed(
  policies: KObject[],
  source: Endpoint,
  destination: PodObject,
  port: number,
  protocol = 'TCP',
): Verdict {
  const applying = policies.filter((p) => selects(p, destination, 'Ingress'));
  if (applying.length === 0) return { allowed: true };
  for (const policy of applying) {
    for (const rule of specOf(policy).ingress ?? []) {
      const fromOk =
        !rule.from ||
        rule.from.length === 0 ||
        rule.from.some((peer) => peerMatches(peer, source, policy.metadata.namespace!));
      if (fromOk && portMatches(rule.ports, port, protocol, destination)) return { allowed: true };
    }
  }
  const first = applying[0]!;
  return { allowed: false, isolatedBy: `${first.metadata.namespace}/${first.metadata.name}` };
}

/** May the `source` pod open a connection to `destination` on port/protocol? */
export function egressAllowed(
  policies: KObject[],
  source: PodObject,
  destination: Endpoint,
  port: number,
  protocol = 'TCP',
): Verdict {
  const applying = policies.filter((p) => selects(p, source, 'Egress'));
  if (applying.length === 0) return { allowed: true };
  for (const policy of applying) {
    for (const rule of specOf(policy).egress ?? []) {
      const toOk =
        !rule.to ||
        rule.to.length === 0 ||
        rule.to.some((peer) => peerMatches(peer, destination, policy.metadata.namespace!));
      if (toOk && portMatches(rule.ports, port, protocol, destination.pod))
        return { allowed: true };
    }
  }
  const first = applying[0]!;
  return { allowed: false, isolatedBy: `${first.metadata.namespace}/${first.metadata.name}` };
}
