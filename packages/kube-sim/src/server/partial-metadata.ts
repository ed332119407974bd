/**
 * Metadata-only answers (`Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`),
 * as the API server gives them to metadata informers and `kubectl get -o name`-style clients:
 * only each object's metadata crosses the wire, never a Secret's data or a pod's spec.
 * Watches with this Accept are not served (they answer full objects).
 */
import type { KObject } from '../api/types.ts';
import type { Call } from './context.ts';

const META_VERSION = 'meta.k8s.io/v1';

/** Whether the first media range that names `as=` asks for `kind` (v1 or v1beta1). */
export function wantsPartialMetadata(
  call: Call,
  kind: 'PartialObjectMetadata' | 'PartialObjectMetadataList',
): boolean {
  for (const range of (call.req.headers.accept ?? '').split(',')) {
    const params = new Map(
      range
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (!params.has('as')) continue;
    return (
      params.get('as') === kind &&
      params.get('g') === 'meta.k8s.io' &&
      ['v1', 'v1beta1'].includes(params.get('v') ?? '')
    );
  }
  return false;
}

export function partialObject(object: KObject): Record<string, unknown> {
  return { apiVersion: META_VERSION, kind: 'PartialObjectMetadata', metadata: object.metadata };
}

export function partialList(objects: KObject[], metadata: object): Record<string, unknown> {
  return {
    apiVersion: META_VERSION,
    kind: 'PartialObjectMetadataList',
    metadata,
    items: objects.map(partialObject),
  };
}
