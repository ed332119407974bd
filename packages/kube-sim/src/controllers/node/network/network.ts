/**
 * The simulated pod network: cluster DNS, Services (ClusterIP → ready endpoints, as
 * kube-proxy programs it), pod IPs and NetworkPolicies. Everything that connects inside
 * the cluster asks here: image dependencies, the shell's wget/nslookup, the service proxy.
 *
 * Failure wording follows Go's net package: "connection refused" (nothing listens, or a
 * Service without ready endpoints, which kube-proxy REJECTs), "i/o timeout" (a
 * NetworkPolicy drops the packets, an unknown Service port, an unreachable DNS server),
 * "no such host" (DNS answered NXDOMAIN).
 */
import type { KObject } from '../../../api/types.ts';
import { labelSelectorMatches } from '../../../store/selectors.ts';
import { bodyFor, statusFor, type HttpBehavior } from '../../../sim/resolved.ts';
import type { ListeningPort } from '../../../sim/runtime-types.ts';
import type { PodObject } from '../pod-model.ts';
import { egressAllowed, ingressAllowed, type Endpoint } from './policy.ts';

export interface NetworkView {
  pods(): PodObject[];
  services(): KObject[];
  namespaces(): KObject[];
  policies(): KObject[];
  /** What listens on `port` in a running container of `pod` right now. */
  listener(pod: PodObject, port: number): ListeningPort | undefined;
}

/** Where a connection comes from: a pod, or the API server (outside the pod network). */
export type Source = { pod: PodObject } | { external: string };

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export type Resolution =
  | { kind: 'service'; service: KObject; address: string; fqdn: string }
  | { kind: 'pod'; pod: PodObject; address: string; fqdn: string }
  | { kind: 'ip'; address: string; fqdn: string };

export type ReachResult =
  | {
      ok: true;
      address: string;
      pod: PodObject;
      port: number;
      listener: ListeningPort;
      service?: KObject;
    }
  | { ok: false; reason: string; address?: string };

export const DNS_SERVICE_IP = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', 'localhost.localdomain']);

export function isReady(pod: PodObject): boolean {
  const conditions = (pod.status?.['conditions'] ?? []) as { type: string; status: string }[];
  return (
    !pod.metadata.deletionTimestamp &&
    typeof pod.status?.['podIP'] === 'string' &&
    conditions.some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

function svcSpec(service: KObject): {
  clusterIP?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  type?: string;
} {
  return (service['spec'] ?? {}) as never;
}

export class Network {
  private readonly view: NetworkView;

  constructor(view: NetworkView) {
    this.view = view;
  }

  /** Ready pods behind a Service (its selector; none for a selector-less Service). */
  endpoints(service: KObject): PodObject[] {
    const selector = svcSpec(service).selector;
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.view
      .pods()
      .filter((p) => p.metadata.namespace === service.metadata.namespace && isReady(p))
      .filter((p) => labelSelectorMatches({ matchLabels: selector }, p.metadata.labels ?? {}));
  }

  /** The container port a Service port sends to on one endpoint pod. */
  targetPort(sp: ServicePort, pod: PodObject): number | undefined {
    const target = sp.targetPort ?? sp.port;
    if (typeof target === 'number') return target;
    if (/^\d+$/.test(target)) return Number(target);
    return pod.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target)
      ?.containerPort;
  }

  private namespaceLabels(name: string | undefined): Record<string, string> {
    const ns = this.view.namespaces().find((n) => n.metadata.name === name);
    return { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name ?? '' };
  }

  private endpointOf(source: Source): Endpoint {
    if ('external' in source) return { ip: source.external };
    return {
      ip: String(source.pod.status?.['podIP'] ?? ''),
      pod: source.pod,
      namespaceLabels: this.namespaceLabels(source.pod.metadata.namespace),
    };
  }

  /** Is the connection source → pod:port allowed by both sides' NetworkPolicies? */
  policyAllows(source: Source, pod: PodObject, port: number, protocol = 'TCP'): boolean {
    const policies = this.view.policies();
    const from = this.endpointOf(source);
    const to: Endpoint = {
      ip: String(pod.status?.['podIP'] ?? ''),
      pod,
      namespaceLabels: this.namespaceLabels(pod.metadata.namespace),
    };
    if ('pod' in source && !egressAllowed(policies, source.pod, to, port, protocol).allowed)
      return false;
    return ingressAllowed(policies, from, pod, port, protocol).allowed;
  }

  /** Cluster DNS from a pod: needs a ready kube-dns reachable on 53 (UDP or TCP). */
  dnsWorks(source: Source): boolean {
    if ('external' in source) return true;
    const dns = this.view
      .services()
      .find((s) => s.metadata.namespace === 'kube-system' && s.metadata.name === 'kube-dns');
    if (!dns) return false;
    return this.endpoints(dns).some(
      (pod) =>
        this.policyAllows(source, pod, 53, 'UDP') || this.policyAllows(source, pod, 53, 'TCP'),
    );
  }

  /** Name → address the way the pod's resolv.conf search path does it (no DNS needed for IPs). */
  resolve(source: Source, host: string): Resolution | { error: 'NXDOMAIN' | 'timeout' } {
    const byIp = this.byAddress(host);
    if (byIp) return byIp;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { kind: 'ip', address: host, fqdn: host };
    if (!this.dnsWorks(source)) return { error: 'timeout' };
    const ns = 'pod' in source ? (source.pod.metadata.namespace ?? 'default') : 'default';
    const name = host
      .replace(/\.$/, '')
      .replace(new RegExp(`\\.${CLUSTER_DOMAIN.replace('.', '\\.')}$`), '');
    const parts = name.split('.');
    const candidates: [string, string][] = [];
    if (parts.length === 1) candidates.push([parts[0]!, ns]);
    if (parts.length === 2) candidates.push([parts[0]!, parts[1]!]);
    if (parts.length === 3 && parts[2] === 'svc') candidates.push([parts[0]!, parts[1]!]);
    for (const [svcName, svcNs] of candidates) {
      const service = this.view
        .services()
        .find((s) => s.metadata.name === svcName && s.metadata.namespace === svcNs);
      if (!service) continue;
      const fqdn = `${svcName}.${svcNs}.svc.${CLUSTER_DOMAIN}`;
      const clusterIP = svcSpec(service).clusterIP;
      if (clusterIP && clusterIP !== 'None')
        return { kind: 'service', service, address: clusterIP, fqdn };
      const first = this.endpoints(service)[0];
      if (first) return { kind: 'pod', pod: first, address: String(first.status?.['podIP']), fqdn };
      return { error: 'NXDOMAIN' };
    }
    // <hostname>.<subdomain>.<ns>[.svc]: a StatefulSet pod behind a headless Service.
    const podParts = parts[3] === 'svc' || parts.length === 3 ? parts : [];
    if (podParts.length >= 3) {
      const [hostname, subdomain, podNs] = podParts as [string, string, string];
      const pod = this.view
        .pods()
        .find(
          (p) =>
            p.metadata.namespace === podNs &&
            (p.spec.hostname ?? p.metadata.name) === hostname &&
            p.spec.subdomain === subdomain,
        );
      if (pod && pod.status?.['podIP']) {
        return {
          kind: 'pod',
          pod,
          address: String(pod.status['podIP']),
          fqdn: `${hostname}.${subdomain}.${podNs}.svc.${CLUSTER_DOMAIN}`,
        };
      }
    }
    return { error: 'NXDOMAIN' };
  }

  private byAddress(ip: string): Resolution | undefined {
    const service = this.view.services().find((s) => svcSpec(s).clusterIP === ip);
    if (service) return { kind: 'service', service, address: ip, fqdn: ip };
    const pod = this.view
      .pods()
      .find(
        (p) =>
          p.status?.['podIP'] === ip && !['Succeeded', 'Failed'].includes(String(p.status?.phase)),
      );
    if (pod) return { kind: 'pod', pod, address: ip, fqdn: ip };
    return undefined;
  }

  /** Can `source` open a TCP connection to host:port? Resolves, load-balances, applies policies. */
  canReach(source: Source, host: string, port: number): ReachResult {
    // The pod's own network namespace: loopback and its own IP reach every container of the
    // pod directly (no Service, no NetworkPolicy), as containers of one pod share it.
    if ('pod' in source) {
      const ownIp = String(source.pod.status?.['podIP'] ?? '');
      if (LOOPBACK.has(host) || (ownIp !== '' && host === ownIp)) {
        const address = LOOPBACK.has(host) ? (host === '::1' ? '::1' : '127.0.0.1') : host;
        const listener = this.view.listener(source.pod, port);
        return listener
          ? { ok: true, address, pod: source.pod, port, listener }
          : { ok: false, reason: 'connection refused', address };
      }
    }
    const resolved = this.resolve(source, host);
    if ('error' in resolved)
      return { ok: false, reason: resolved.error === 'timeout' ? 'i/o timeout' : 'no such host' };
    if (resolved.kind === 'ip')
      return { ok: false, reason: 'i/o timeout', address: resolved.address };
    if (resolved.kind === 'pod') return this.reachPod(source, resolved.pod, port, resolved.address);
    const sp = (svcSpec(resolved.service).ports ?? []).find(
      (p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP',
    );
    if (!sp) return { ok: false, reason: 'i/o timeout', address: resolved.address };
    const endpoints = this.endpoints(resolved.service);
    if (endpoints.length === 0)
      return { ok: false, reason: 'connection refused', address: resolved.address };
    let firstFailure: ReachResult | undefined;
    for (const pod of endpoints) {
      const target = this.targetPort(sp, pod);
      if (target === undefined) continue;
      const result = this.reachPod(source, pod, target, resolved.address);
      if (result.ok) return { ...result, service: resolved.service };
      firstFailure ??= result;
    }
    return firstFailure ?? { ok: false, reason: 'connection refused', address: resolved.address };
  }

  /** A connection straight to one pod (after kube-proxy's DNAT when it came through a Service). */
  reachPod(source: Source, pod: PodObject, port: number, address?: string): ReachResult {
    const shown = address ?? String(pod.status?.['podIP'] ?? '');
    if (!this.policyAllows(source, pod, port))
      return { ok: false, reason: 'i/o timeout', address: shown };
    const listener = this.view.listener(pod, port);
    if (!listener) return { ok: false, reason: 'connection refused', address: shown };
    return { ok: true, address: shown, pod, port, listener };
  }

  /** An HTTP GET after a successful canReach: the listener's behaviour answers. */
  static answer(
    http: HttpBehavior | undefined,
    path: string,
  ): { status: number; body: string } | undefined {
    if (!http) return undefined;
    const status = statusFor(http, path);
    return { status, body: bodyFor(http, status) };
  }
}
