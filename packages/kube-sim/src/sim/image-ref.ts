/**
 * Image references normalised the way containerd does before it pulls: a bare name is a
 * Docker Hub official image (`nginx` → `docker.io/library/nginx:latest`), a missing tag
 * means `latest`, and a digest pins the content (`name@sha256:…`, tag kept if given).
 */
import { SimError, SimErrorCode } from './errors.ts';

export interface ImageRef {
  /** Exactly what the pod spec said. */
  original: string;
  /** Registry host, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path without registry (`library/nginx`, `shop/payment-api`). */
  repository: string;
  /** The tag, `latest` when neither tag nor digest was given; undefined for digest-only refs. */
  tag: string | undefined;
  digest: string | undefined;
  /** The fully qualified reference containerd reports (`docker.io/library/nginx:1.27`). */
  normalized: string;
  /** Short name used to find catalog entries: `nginx`, `bitnami/redis`, `registry.example.com/shop/api`. */
  familiar: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function parseImageRef(original: string): ImageRef {
  const image = original.trim();
  if (image === '' || /\s/.test(image)) {
    throw new SimError(
      SimErrorCode.InvalidImageReference,
      `invalid reference format: "${original}"`,
    );
  }
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new SimError(
        SimErrorCode.InvalidImageReference,
        `invalid reference format: bad digest in "${original}"`,
      );
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw new SimError(
        SimErrorCode.InvalidImageReference,
        `invalid reference format: bad tag in "${original}"`,
      );
    }
  }
  if (tag === undefined && digest === undefined) tag = 'latest';
  if (/[A-Z]/.test(rest)) {
    throw new SimError(
      SimErrorCode.InvalidImageReference,
      `invalid reference format: repository name must be lowercase: "${original}"`,
    );
  }
  const first = rest.split('/')[0] ?? '';
  const hasRegistry =
    rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : 'docker.io';
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  let repository = hasRegistry ? rest.slice(first.length + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  const suffix = `${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  const familiar =
    registry === 'docker.io' ? repository.replace(/^library\//, '') : `${registry}/${repository}`;
  return {
    original,
    registry,
    repository,
    tag,
    digest,
    normalized: `${registry}/${repository}${suffix}`,
    familiar,
  };
}

/** True when two references name the same image (same repository and tag/digest). */
export function sameImage(a: string, b: string): boolean {
  return parseImageRef(a).normalized === parseImageRef(b).normalized;
}
