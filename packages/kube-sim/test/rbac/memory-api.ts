/**
 * A Map-backed ClusterApi holding just enough to feed the authorizer (list, create,
 * delete, onChange). The real store is tested on its own; these unit tests pin RBAC
 * semantics without it. Methods RBAC never calls throw, so a test cannot pass by accident
 * through them.
 */
import type { ClusterApi, KObject, WatchEvent, WriteOptions } from '../../src/api/types.ts';
import type { ResourceType } from '../../src/resources.ts';
import { findKind } from '../../src/resources.ts';

type Listener = (event: WatchEvent, resource: ResourceType) => void;

export class MemoryApi implements ClusterApi {
  private readonly objects = new Map<string, { resource: ResourceType; object: KObject }>();
  private readonly listeners = new Set<Listener>();
  listCalls = 0;

  private key(resource: ResourceType, namespace: string | undefined, name: string): string {
    return `${resource.group}/${resource.plural}/${namespace ?? ''}/${name}`;
  }

  add(...objects: KObject[]): this {
    for (const object of objects) {
      const resource = findKind(object.apiVersion, object.kind);
      if (resource === undefined) throw new Error(`unknown kind ${object.kind}`);
      this.create(resource, object, { user: { username: 'test', groups: [] } });
    }
    return this;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    return this.objects.get(this.key(resource, namespace, name))?.object;
  }

  list(resource: ResourceType, namespace: string | undefined): KObject[] {
    this.listCalls++;
    return [...this.objects.values()]
      .filter(
        (e) =>
          e.resource === resource &&
          (namespace === undefined || e.object.metadata.namespace === namespace),
      )
      .map((e) => e.object);
  }

  create(resource: ResourceType, object: KObject, _options?: WriteOptions): KObject {
    const copy = structuredClone(object);
    this.objects.set(this.key(resource, copy.metadata.namespace, copy.metadata.name ?? ''), {
      resource,
      object: copy,
    });
    for (const listener of this.listeners) listener({ type: 'ADDED', object: copy }, resource);
    return copy;
  }

  delete(resource: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const key = this.key(resource, namespace, name);
    const found = this.objects.get(key);
    if (found === undefined) return undefined;
    this.objects.delete(key);
    for (const listener of this.listeners)
      listener({ type: 'DELETED', object: found.object }, resource);
    return found.object;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(): KObject {
    throw new Error('MemoryApi.update is not used by RBAC');
  }
  patch(): KObject {
    throw new Error('MemoryApi.patch is not used by RBAC');
  }
  addAdmission(): void {
    throw new Error('MemoryApi.addAdmission is not used by RBAC');
  }
  recordEvent(): void {
    throw new Error('MemoryApi.recordEvent is not used by RBAC');
  }
}
