/**
 * Discovery documents (/api, /apis, /api/v1, /apis/{group}/{version}) and /version. The
 * aggregated discovery media types are declined by answering the plain form, which every
 * kubectl since 1.26 accepts.
 */
import {
  groupVersion,
  groupVersions,
  RESOURCES,
  verbsOf,
  type ResourceType,
} from '../resources.ts';

export const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-08-13T00:00:00Z',
  goVersion: 'go1.22.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): unknown {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `extra`: groups served outside the resource catalog (metrics.k8s.io, version v1beta1). */
export function apiGroupList(extra: string[] = []): unknown {
  const groups = [...groupVersions()]
    .filter(([name]) => name !== '')
    .map(([name, versions]) => groupEntry(name, versions));
  for (const name of extra) groups.push(groupEntry(name, ['v1beta1']));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(name: string, served?: string[]): unknown | undefined {
  const versions = served ?? groupVersions().get(name);
  if (name === '' || versions === undefined) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(name, versions) as object) };
}

const SUBRESOURCE_INFO: Record<
  string,
  { verbs: string[]; kind?: string; group?: string; version?: string }
> = {
  status: { verbs: ['get', 'patch', 'update'] },
  scale: { verbs: ['get', 'patch', 'update'], kind: 'Scale', group: 'autoscaling', version: 'v1' },
  log: { verbs: ['get'] },
  eviction: { verbs: ['create'], kind: 'Eviction', group: 'policy', version: 'v1' },
  binding: { verbs: ['create'], kind: 'Binding' },
  exec: { verbs: ['create', 'get'], kind: 'PodExecOptions' },
  attach: { verbs: ['create', 'get'], kind: 'PodAttachOptions' },
  proxy: { verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  token: { verbs: ['create'], kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1' },
  finalize: { verbs: ['update'] },
  ephemeralcontainers: { verbs: ['get', 'patch', 'update'] },
};

function resourceEntries(resource: ResourceType): unknown[] {
  const main = {
    name: resource.plural,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: verbsOf(resource),
    ...(resource.shortNames ? { shortNames: resource.shortNames } : {}),
    ...(resource.categories ? { categories: resource.categories } : {}),
    storageVersionHash: Buffer.from(`${groupVersion(resource)}/${resource.kind}`)
      .toString('base64')
      .slice(0, 11),
  };
  const subs = (resource.subresources ?? []).map((sub) => {
    const info = SUBRESOURCE_INFO[sub] ?? { verbs: ['get'] };
    return {
      name: `${resource.plural}/${sub}`,
      singularName: '',
      namespaced: resource.namespaced,
      kind: info.kind ?? (sub === 'proxy' ? `${resource.kind}ProxyOptions` : resource.kind),
      verbs: info.verbs,
      ...(info.group !== undefined ? { group: info.group, version: info.version } : {}),
    };
  });
  return [main, ...subs];
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: resources.flatMap(resourceEntries),
  };
}
