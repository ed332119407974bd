/**
 * Strategic-merge metadata of the built-in types, keyed by field name. The real server reads
 * it from Go struct tags (patchMergeKey / patchStrategy); the few names whose key depends on
 * context (container ports vs service ports) are resolved by looking at the items.
 */
type Json = unknown;

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  taints: 'key',
  addresses: 'type',
};

/** Primitive lists whose strategy is "merge" (union) instead of replace. */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

/** Returns the merge key of list field `field`, or undefined when the list is atomic (replaced). */
export function mergeKeyOf(field: string, items: Json[][]): string | undefined {
  if (field === 'ports') {
    const sample = items.flat().find((item) => item !== null && typeof item === 'object') as
      Record<string, Json> | undefined;
    if (sample === undefined) return undefined;
    return 'containerPort' in sample ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

export function isMergedPrimitiveList(field: string): boolean {
  return MERGED_PRIMITIVE_LISTS.has(field);
}
