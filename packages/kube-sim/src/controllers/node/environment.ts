/**
 * What a container of a pod sees of the world: the pod network (via Network, as that pod),
 * HTTP answers of whatever listens at the far end, cluster DNS, and its mounted ConfigMap
 * files. Mounted Secrets are not materialised as files: secret values never leave the
 * kubelet's environment building, so nothing (exec, logs, proxy) can print one.
 */
import type { SimEnvironment } from '../../sim/runtime-types.ts';
import type { ConfigLookup } from './kubelet/config-refs.ts';
import { DNS_SERVICE_IP, Network } from './network/network.ts';
import type { ContainerSpec, PodObject } from './pod-model.ts';
import type { SimClock } from '../../clock/clock.ts';
import type { ServedRequest } from '../../sim/http-log.ts';
import { mountFor, mountsOf, type VolumeStore } from './volumes.ts';

/** The node's volume store and clock, and which container instance this environment is for. */
const LOCAL = new Set(['127.0.0.1', '::1']);

export interface VolumeAccess {
  store: VolumeStore;
  clock: SimClock;
  instance: string | undefined;
  /** Tells the server that answered (it logs the request, as nginx does). */
  served?: (pod: PodObject, port: number, request: ServedRequest, atSeconds?: number) => void;
}

export function containerEnvironment(
  network: Network,
  lookup: ConfigLookup,
  pod: PodObject,
  container: ContainerSpec,
  volumes?: VolumeAccess,
): SimEnvironment {
  const source = { pod };
  const ns = pod.metadata.namespace ?? 'default';
  const files: Record<string, string> = {};
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.spec.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume?.configMap) continue;
    const cm = lookup.configMap(ns, volume.configMap.name);
    const data = (cm?.['data'] ?? {}) as Record<string, string>;
    const items = volume.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      if (data[item.key] !== undefined)
        files[`${mount.mountPath.replace(/\/$/, '')}/${item.path}`] = data[item.key]!;
    }
  }
  let persist: SimEnvironment['persist'];
  if (volumes) {
    const { store, clock } = volumes;
    const uid = pod.metadata.uid ?? '';
    const instance = volumes.instance ? `${uid}/${volumes.instance}` : undefined;
    const mounts = mountsOf(
      pod,
      container,
      (claim) => lookup.pvc(ns, claim)?.metadata.uid,
      instance,
    );
    const now = clock.now();
    for (const mount of mounts)
      for (const [rel, text] of store.read(mount.key, now))
        files[`${mount.mountPath}${rel}`] ??= text;
    const writer = volumes.instance ?? `exec/${uid}`;
    persist = (atSeconds, path, op, text) => {
      const target = mountFor(mounts, path);
      if (target)
        store.write(target.mount.key, target.rel, {
          atMs: now + atSeconds * 1000,
          op,
          text,
          writer,
        });
    };
  }
  return {
    ...(persist ? { persist } : {}),
    network: (host, port) => {
      const result = network.canReach({ pod }, host, port);
      return result.ok
        ? { reachable: true, address: result.address }
        : {
            reachable: false,
            reason: result.reason,
            ...(result.address ? { address: result.address } : {}),
          };
    },
    http: (host, port, path, agent = 'Wget', atSeconds = 0) => {
      const result = network.canReach(source, host, port);
      if (!result.ok) return { status: 502, body: '' };
      const answer = Network.answer(result.listener.http, path) ?? { status: 200, body: '' };
      volumes?.served?.(
        result.pod,
        result.port,
        {
          client: LOCAL.has(result.address) ? '127.0.0.1' : String(pod.status?.['podIP'] ?? ''),
          host,
          method: 'GET',
          path,
          status: answer.status,
          bytes: Buffer.byteLength(answer.body),
          agent,
        },
        atSeconds,
      );
      return answer;
    },
    dns: (name) => {
      const resolved = network.resolve(source, name);
      if ('error' in resolved) return { error: resolved.error };
      return { fqdn: resolved.fqdn, address: resolved.address };
    },
    files: { '/etc/hosts': hostsFile(pod), ...files },
    hostname: pod.spec.hostname ?? pod.metadata.name ?? '',
    namespace: ns,
    dnsServer: DNS_SERVICE_IP,
  };
}

/** The kubelet-managed /etc/hosts: loopback entries, then the pod's IP and its names. */
export function hostsFile(pod: PodObject): string {
  const ip = String(pod.status?.['podIP'] ?? '');
  const hostname = pod.spec.hostname ?? pod.metadata.name ?? '';
  const ns = pod.metadata.namespace ?? 'default';
  const names = pod.spec.subdomain
    ? `${hostname}.${pod.spec.subdomain}.${ns}.svc.cluster.local\t${hostname}`
    : hostname;
  const aliases = (
    (pod.spec as { hostAliases?: { ip: string; hostnames?: string[] }[] }).hostAliases ?? []
  )
    .map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`)
    .join('');
  return (
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    (ip ? `${ip}\t${names}\n` : '') +
    (aliases ? `\n# Entries added by HostAliases.\n${aliases}` : '')
  );
}
