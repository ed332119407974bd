/**
 * Resolves an image reference to its behaviour: a user `ImageBehavior` for that exact
 * reference wins, then the built-in catalog of public images, then the default behaviour
 * (pulls, serves 200 on the declared ports, never exits).
 */
import { CATALOG, type CatalogEntry } from './catalog-data.ts';
import type { ImageBehavior } from './image-behavior.ts';
import { parseImageRef, type ImageRef } from './image-ref.ts';
import { defaultImage, fromUserSpec, type ResolvedImage } from './resolved.ts';

export function findCatalogEntry(ref: ImageRef): CatalogEntry | undefined {
  if (ref.registry !== 'docker.io') return undefined;
  return CATALOG.find((entry) => entry.names.includes(ref.familiar));
}

function fromCatalog(ref: ImageRef, entry: CatalogEntry): ResolvedImage {
  // A digest names content we cannot enumerate: accept it, as the registry would if it exists.
  const exists = ref.tag === undefined || entry.tags.has(ref.tag);
  const alpine = ref.tag !== undefined && /alpine/.test(ref.tag);
  const binaries = [
    ...new Set([...entry.binaries, ...(alpine ? (entry.alpineBinaries ?? []) : [])]),
  ];
  return {
    ref,
    source: 'catalog',
    pull: exists ? 'Ok' : 'NotFound',
    binaries,
    servers: entry.servers,
    defaultCommand: entry.defaultCommand,
    entrypoint: entry.defaultCommand.slice(0, entry.entrypointLength),
    listen: entry.listen,
    startupSeconds: entry.startupSeconds,
    memoryMi: entry.memoryMi,
    cpuMilli: entry.cpuMilli,
    requiredEnv: entry.requiredEnv,
    dependencies: [],
    logs: entry.logs,
    entrypointLogs: entry.entrypointLogs ?? [],
    shell: alpine ? 'busybox' : (entry.shell ?? 'dash'),
    ...(entry.httpLog ? { httpLog: entry.httpLog } : {}),
    exit: undefined,
    sizeBytes: entry.sizeBytes,
  };
}

/**
 * `image` is the reference exactly as written in the pod spec. User documents match by
 * normalised reference, so `nginx:1.27` and `docker.io/library/nginx:1.27` are the same.
 */
export function resolveImage(
  image: string,
  userBehaviors: readonly ImageBehavior[] = [],
): ResolvedImage {
  const ref = parseImageRef(image);
  for (let i = userBehaviors.length - 1; i >= 0; i--) {
    const behavior = userBehaviors[i];
    if (
      behavior !== undefined &&
      parseImageRef(behavior.spec.image).normalized === ref.normalized
    ) {
      return fromUserSpec(ref, behavior.spec);
    }
  }
  const entry = findCatalogEntry(ref);
  return entry === undefined ? defaultImage(ref) : fromCatalog(ref, entry);
}

/**
 * `pull: Unauthorized` means the registry refuses anonymous pulls. The pull succeeds when
 * one of the pod's pull secrets (its imagePullSecrets, or its ServiceAccount's) is a
 * `kubernetes.io/dockerconfigjson` (or legacy `kubernetes.io/dockercfg`) Secret with an
 * `auths` entry for the image's registry host.
 */
export function pullSucceeds(
  image: ResolvedImage,
  pullSecrets: readonly { type?: unknown; data?: unknown }[],
): boolean {
  if (image.pull === 'Ok') return true;
  if (image.pull === 'NotFound') return false;
  return pullSecrets.some((secret) => registriesIn(secret).has(image.ref.registry));
}

function registriesIn(secret: { type?: unknown; data?: unknown }): Set<string> {
  const data = (secret.data ?? {}) as Record<string, string>;
  const encoded =
    secret.type === 'kubernetes.io/dockercfg' ? data['.dockercfg'] : data['.dockerconfigjson'];
  const hosts = new Set<string>();
  if (typeof encoded !== 'string') return hosts;
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Record<
      string,
      unknown
    >;
    const auths = (
      secret.type === 'kubernetes.io/dockercfg' ? parsed : (parsed.auths ?? {})
    ) as Record<string, unknown>;
    for (const key of Object.keys(auths)) {
      const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? key;
      hosts.add(host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host);
    }
  } catch {
    // A malformed pull secret authorises nothing, as on a real node.
  }
  return hosts;
}
