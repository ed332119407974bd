/** Namespace rules on create: the namespace must exist and must not be terminating. */
import { RESOURCES, type ResourceType } from '../resources.ts';
import { ApiError, badRequest, notFound, qualifiedName } from './errors.ts';
import type { ClusterApi, ObjectMeta } from './types.ts';

export const NAMESPACES = RESOURCES.find((r) => r.plural === 'namespaces')!;

export function checkNamespaceWritable(
  api: ClusterApi,
  resource: ResourceType,
  meta: ObjectMeta,
): void {
  const ns = meta.namespace;
  if (ns === undefined || ns === '')
    throw badRequest('an empty namespace may not be set during creation');
  const namespace = api.get(NAMESPACES, undefined, ns);
  if (!namespace) throw notFound(NAMESPACES, ns);
  if (namespace.metadata.deletionTimestamp !== undefined) {
    const name = meta.name ?? meta.generateName ?? '';
    throw new ApiError(
      403,
      'Forbidden',
      `${qualifiedName(resource)} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      {
        name,
        group: resource.group,
        kind: resource.plural,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${ns} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}
