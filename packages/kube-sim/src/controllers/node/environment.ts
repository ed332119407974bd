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

export function containerEnvironment(
  network: Network,
  lookup: ConfigLookup,
  pod: PodObject,
  container: ContainerSpec,
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
  return {
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
    http: (host, port, path) => {
      const result = network.canReach(source, host, port);
      if (!result.ok) return { status: 502, body: '' };
      return Network.answer(result.listener.http, path) ?? { status: 200, body: '' };
    },
    dns: (name) => {
      const resolved = network.resolve(source, name);
      if ('error' in resolved) return { error: resolved.error };
      return { fqdn: resolved.fqdn, address: resolved.address };
    },
    files,
    hostname: pod.spec.hostname ?? pod.metadata.name ?? '',
    namespace: ns,
    dnsServer: DNS_SERVICE_IP,
  };
}
