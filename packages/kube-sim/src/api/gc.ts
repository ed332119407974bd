/**
 * Deletion with finalizers, ownerReference garbage collection (background, foreground,
 * orphan) and namespace termination. Like the real garbage collector, dependents are
 * handled after the owner's delete call has answered (setImmediate), never inside it.
 */
import { findKind, RESOURCES, type ResourceType } from '../resources.ts';
import type { Cluster } from './cluster.ts';
import { resourceOfKey } from './cluster.ts';
import { storageKeyOf } from './convert.ts';
import { conflict, notFound } from './errors.ts';
import { nowTimestamp } from './meta.ts';
import { NAMESPACES } from './namespaces.ts';
import type { KObject, UserInfo, WriteOptions } from './types.ts';

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export const GC_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:generic-garbage-collector',
  groups: ['system:serviceaccounts', 'system:authenticated'],
};

const FOREGROUND = 'foregroundDeletion';

type Admit = (op: 'DELETE', object: KObject | undefined, old: KObject) => void;

export class Collector {
  private readonly cluster: Cluster;

  constructor(cluster: Cluster) {
    this.cluster = cluster;
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions & DeleteOptions,
    convert: (o: KObject) => KObject,
    admit: Admit,
  ): KObject | undefined {
    const entry = this.cluster.entry(resource, namespace, name);
    if (!entry) throw notFound(resource, name);
    const old = entry.object;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid)
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    admit('DELETE', undefined, old);
    if (options.dryRun) return convert(old);
    if (resource === NAMESPACES) return convert(this.terminateNamespace(old, options));
    const policy = options.propagationPolicy ?? 'Background';
    if (policy === 'Orphan') this.orphanDependents(old);
    const graceful = this.gracefulPodDeletion(resource, old, options, convert);
    if (graceful) return graceful;
    const finalizers = [...(old.metadata.finalizers ?? [])];
    if (
      policy === 'Foreground' &&
      !finalizers.includes(FOREGROUND) &&
      this.dependentsOf(old).length > 0
    )
      finalizers.push(FOREGROUND);
    if (finalizers.length > 0) {
      if (
        old.metadata.deletionTimestamp !== undefined &&
        finalizers.length === (old.metadata.finalizers ?? []).length
      )
        return convert(old);
      const next = structuredClone(old) as KObject;
      next.metadata.deletionTimestamp ??= nowTimestamp(this.cluster.now());
      next.metadata.deletionGracePeriodSeconds ??= options.gracePeriodSeconds ?? 0;
      next.metadata.finalizers = finalizers;
      const written = this.cluster.rewrite(resource, old, next, options);
      if (finalizers.includes(FOREGROUND))
        this.later(() => this.deleteDependents(written, 'Foreground'));
      return convert(written);
    }
    const rv = this.cluster.store.nextRv();
    const gone = structuredClone(old) as KObject;
    gone.metadata.resourceVersion = String(rv);
    this.cluster.store.remove(storageKeyOf(resource), old.metadata.namespace ?? '', name, gone, rv);
    this.afterRemoval(gone);
    return convert(gone);
  }

  /** A scheduled pod with a grace period waits for the kubelet (see ClusterApi.setPodTermination). */
  private gracefulPodDeletion(
    resource: ResourceType,
    old: KObject,
    options: WriteOptions & DeleteOptions,
    convert: (o: KObject) => KObject,
  ): KObject | undefined {
    if (resource.kind !== 'Pod' || this.cluster.podTermination !== 'graceful') return undefined;
    const spec = (old['spec'] ?? {}) as {
      nodeName?: string;
      terminationGracePeriodSeconds?: number;
    };
    const grace =
      options.gracePeriodSeconds ??
      old.metadata.deletionGracePeriodSeconds ??
      spec.terminationGracePeriodSeconds ??
      30;
    if (!spec.nodeName || grace <= 0) return undefined;
    if (old.metadata.deletionTimestamp !== undefined) return convert(old);
    const next = structuredClone(old) as KObject;
    next.metadata.deletionTimestamp = nowTimestamp(this.cluster.now() + grace * 1000);
    next.metadata.deletionGracePeriodSeconds = grace;
    return convert(this.cluster.rewrite(resource, old, next, options));
  }

  /** Called after any object left the store. */
  afterRemoval(object: KObject): void {
    this.later(() => this.deleteDependents(object, 'Background'));
    for (const ref of object.metadata.ownerReferences ?? []) {
      const ownerType = findKind(ref.apiVersion, ref.kind);
      if (!ownerType) continue;
      const owner = this.cluster.entry(ownerType, object.metadata.namespace, ref.name)?.object;
      if (owner?.metadata.uid === ref.uid && owner.metadata.finalizers?.includes(FOREGROUND))
        this.later(() =>
          this.finishForeground(ownerType, owner.metadata.namespace, owner.metadata.name!),
        );
    }
    const ns = object.metadata.namespace;
    if (ns) this.later(() => this.finishNamespace(ns));
  }

  private later(task: () => void): void {
    setImmediate(() => {
      try {
        task();
      } catch {
        // The object changed or vanished meanwhile; the next change retriggers the check.
      }
    });
  }

  private dependentsOf(owner: KObject): { resource: ResourceType; object: KObject }[] {
    const uid = owner.metadata.uid;
    const out: { resource: ResourceType; object: KObject }[] = [];
    const ns = owner.metadata.namespace;
    for (const key of this.cluster.store.keys()) {
      const resource = resourceOfKey(key);
      if (!resource) continue;
      for (const e of this.cluster.store.list(key, ns)) {
        if (e.object.metadata.ownerReferences?.some((r) => r.uid === uid))
          out.push({ resource, object: e.object });
      }
    }
    return out;
  }

  private deleteDependents(owner: KObject, policy: 'Background' | 'Foreground'): void {
    for (const { resource, object } of this.dependentsOf(owner)) {
      if (object.metadata.deletionTimestamp !== undefined) continue;
      this.tryDelete(resource, object, policy);
    }
    if (policy === 'Foreground')
      this.finishForeground(this.resourceOf(owner), owner.metadata.namespace, owner.metadata.name!);
  }

  private tryDelete(
    resource: ResourceType,
    object: KObject,
    policy: 'Background' | 'Foreground',
  ): void {
    try {
      this.cluster.delete(resource, object.metadata.namespace, object.metadata.name!, {
        user: GC_USER,
        propagationPolicy: policy,
        preconditions: { uid: object.metadata.uid! },
      });
    } catch {
      // Already gone or replaced by a new object of the same name: nothing to collect.
    }
  }

  private resourceOf(object: KObject): ResourceType {
    return findKind(object.apiVersion, object.kind) ?? RESOURCES[0]!;
  }

  private finishForeground(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
  ): void {
    const owner = this.cluster.entry(resource, namespace, name)?.object;
    if (!owner?.metadata.finalizers?.includes(FOREGROUND)) return;
    const blocking = this.dependentsOf(owner).filter((d) =>
      d.object.metadata.ownerReferences?.some(
        (r) => r.uid === owner.metadata.uid && r.blockOwnerDeletion,
      ),
    );
    if (blocking.length > 0) return;
    const next = structuredClone(owner) as KObject;
    next.metadata.finalizers = owner.metadata.finalizers.filter((f) => f !== FOREGROUND);
    this.cluster.rewrite(resource, owner, next, { user: GC_USER });
  }

  private orphanDependents(owner: KObject): void {
    for (const { resource, object } of this.dependentsOf(owner)) {
      const next = structuredClone(object) as KObject;
      next.metadata.ownerReferences = object.metadata.ownerReferences!.filter(
        (r) => r.uid !== owner.metadata.uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.cluster.rewrite(resource, object, next, { user: GC_USER });
    }
  }

  private terminateNamespace(old: KObject, options: WriteOptions): KObject {
    let current = old;
    if (old.metadata.deletionTimestamp === undefined) {
      const next = structuredClone(old) as KObject;
      next.metadata.deletionTimestamp = nowTimestamp(this.cluster.now());
      next.metadata.deletionGracePeriodSeconds = 0;
      next['status'] = { ...((old['status'] as object) ?? {}), phase: 'Terminating' };
      current = this.cluster.rewrite(NAMESPACES, old, next, options);
    }
    const ns = old.metadata.name!;
    this.later(() => {
      for (const key of this.cluster.store.keys()) {
        const resource = resourceOfKey(key);
        if (!resource?.namespaced) continue;
        for (const e of this.cluster.store.list(key, ns))
          if (e.object.metadata.deletionTimestamp === undefined)
            this.tryDelete(resource, e.object, 'Background');
      }
      this.finishNamespace(ns);
    });
    return current;
  }

  private finishNamespace(ns: string): void {
    const namespace = this.cluster.entry(NAMESPACES, undefined, ns)?.object;
    if (namespace?.metadata.deletionTimestamp === undefined) return;
    for (const key of this.cluster.store.keys())
      if (this.cluster.store.list(key, ns).length > 0) return;
    const rv = this.cluster.store.nextRv();
    const gone = structuredClone(namespace) as KObject;
    gone.metadata.resourceVersion = String(rv);
    gone['spec'] = { finalizers: [] };
    this.cluster.store.remove(storageKeyOf(NAMESPACES), '', ns, gone, rv);
  }
}
