/**
 * The ClusterApi implementation: every write goes through conversion, defaulting,
 * validation, admission, optimistic concurrency and managedFields bookkeeping, then the
 * store. HTTP handlers and in-process controllers share this one pipeline.
 * Invariant: objects in the store are deep-frozen; everything here clones before editing.
 */
import { RESOURCES, type ResourceType } from '../resources.ts';
import { Store, type Entry } from '../store/store.ts';
import { applyDefaults } from '../validation/defaults.ts';
import { validateObject } from '../validation/validate.ts';
import { recordUpdate } from '../patch/managed-fields.ts';
import { applyJsonPatch, applyMergePatch } from '../patch/json-patch.ts';
import { applyStrategicPatch } from '../patch/strategic.ts';
import { serverSideApply } from '../patch/apply.ts';
import { ClusterState } from './cluster-state.ts';
import { fromStorage, storageKeyOf, storageResourceOf, toStorage } from './convert.ts';
import { alreadyExists, ApiError, conflict, invalid, notFound } from './errors.ts';
import { listPage, type ListPage, type PageOptions } from './list.ts';
import {
  deepEqualJson,
  GENERATION_KINDS,
  newUid,
  nowTimestamp,
  randomSuffix,
  specPart,
} from './meta.ts';
import { checkNamespaceWritable } from './namespaces.ts';
import { Collector, type DeleteOptions } from './gc.ts';
import { EventRecorder } from './events.ts';
import type {
  AdmissionPlugin,
  ClusterApi,
  KObject,
  ListOptions,
  PatchType,
  WatchEvent,
  WriteOptions,
} from './types.ts';

export interface InternalWriteOptions extends WriteOptions {
  /** Force server-side apply past conflicts. */
  force?: boolean;
  /** managedFields were already computed (server-side apply). */
  managedDone?: boolean;
  /** The object passed in is a private copy the pipeline may edit (saves a clone). */
  owned?: boolean;
  /** Internal writers (GC, namespace termination) may set deletionTimestamp. */
  allowDeletionMeta?: boolean;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const resourceByKey = new Map<string, ResourceType>();
for (const r of RESOURCES) if (storageResourceOf(r) === r) resourceByKey.set(storageKeyOf(r), r);

export function resourceOfKey(key: string): ResourceType | undefined {
  return resourceByKey.get(key);
}

export class Cluster implements ClusterApi {
  readonly store: Store;
  readonly state = new ClusterState();
  private readonly admission: AdmissionPlugin[] = [];
  private readonly collector: Collector;
  private readonly events: EventRecorder;

  constructor(store = new Store()) {
    this.store = store;
    this.collector = new Collector(this);
    this.events = new EventRecorder(this);
  }

  entry(resource: ResourceType, namespace: string | undefined, name: string): Entry | undefined {
    return this.store.get(
      storageKeyOf(resource),
      resource.namespaced ? (namespace ?? '') : '',
      name,
    );
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const entry = this.entry(resource, namespace, name);
    return entry ? fromStorage(resource, entry.object) : undefined;
  }

  list(
    resource: ResourceType,
    namespace: string | undefined,
    options: ListOptions = {},
  ): KObject[] {
    return this.listPage(resource, namespace, options).entries.map((e) =>
      fromStorage(resource, e.object),
    );
  }

  listPage(resource: ResourceType, namespace: string | undefined, options: PageOptions): ListPage {
    return listPage(this.store, resource, resource.namespaced ? namespace : undefined, options);
  }

  podTermination: 'immediate' | 'graceful' = 'immediate';
  /**
   * The cluster's time in epoch ms: creationTimestamp, deletionTimestamp and event times
   * come from here. startKubeSim sets it to the sim clock, so timestamps agree with the
   * durations the controllers measure on that clock (which runs `speed` times faster).
   */
  now: () => number = Date.now;

  setPodTermination(mode: 'immediate' | 'graceful'): void {
    this.podTermination = mode;
  }

  addAdmission(plugin: AdmissionPlugin): void {
    this.admission.push(plugin);
  }

  /** Runs the admission plugins for a request that is not a plain write (pods/eviction). */
  runAdmission(
    operation: 'CREATE' | 'UPDATE' | 'DELETE',
    resource: ResourceType,
    object: KObject | undefined,
    oldObject: KObject | undefined,
    options: WriteOptions,
  ): void {
    this.admit(operation, resource, object, oldObject, options);
  }

  private admit(
    operation: 'CREATE' | 'UPDATE' | 'DELETE',
    resource: ResourceType,
    object: KObject | undefined,
    oldObject: KObject | undefined,
    options: WriteOptions,
  ): void {
    for (const plugin of this.admission)
      plugin({
        operation,
        resource,
        subresource: options.subresource,
        object,
        oldObject,
        user: options.user,
        dryRun: options.dryRun ?? false,
      });
  }

  onChange(listener: (event: WatchEvent, resource: ResourceType) => void): () => void {
    return this.store.subscribe('*', (change) => {
      const resource = resourceByKey.get(change.key);
      if (resource) listener({ type: change.type, object: change.entry.object }, resource);
    });
  }

  create(resource: ResourceType, object: KObject, options: InternalWriteOptions): KObject {
    const sres = storageResourceOf(resource);
    const obj = toStorage(resource, structuredClone(object));
    obj.apiVersion = sres.group === '' ? sres.version : `${sres.group}/${sres.version}`;
    obj.kind = sres.kind;
    const meta = (obj.metadata ??= {});
    if (sres.namespaced) checkNamespaceWritable(this, sres, meta);
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    for (const field of [
      'resourceVersion',
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'generation',
    ])
      delete meta[field];
    if (sres.subresources?.includes('status') && sres.kind !== 'Namespace') delete obj['status'];
    applyDefaults(obj, this.state.allocateIp);
    const causes = validateObject(obj, undefined);
    if (causes.length > 0) throw invalid(sres, sres.kind, meta.name ?? '', causes);
    this.admit('CREATE', sres, obj, undefined, options);
    if (this.entry(sres, meta.namespace, meta.name!)) throw alreadyExists(sres, meta.name!);
    meta.uid = newUid();
    // One instant for the whole write: at --speed 1000 two reads of the clock a millisecond
    // apart are a second apart in sim time.
    const now = nowTimestamp(this.now());
    meta.creationTimestamp = now;
    if (GENERATION_KINDS.has(sres.kind)) meta.generation = 1;
    if (options.fieldManager && !options.managedDone)
      recordUpdate(undefined, obj, options.fieldManager, undefined, now);
    if (options.dryRun) return fromStorage(resource, obj);
    const rv = this.store.nextRv();
    meta.resourceVersion = String(rv);
    this.store.put(storageKeyOf(sres), deepFreeze(obj), rv);
    return fromStorage(resource, obj);
  }

  update(resource: ResourceType, object: KObject, options: InternalWriteOptions): KObject {
    const sres = storageResourceOf(resource);
    const incoming = toStorage(resource, options.owned ? object : structuredClone(object));
    const name = incoming.metadata?.name ?? '';
    const entry = this.entry(sres, incoming.metadata?.namespace, name);
    if (!entry) throw notFound(sres, name);
    const old = entry.object;
    const wanted = incoming.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== old.metadata.resourceVersion)
      throw conflict(sres, name);
    let next: KObject;
    if (options.subresource === 'status') {
      next = structuredClone(old) as KObject;
      next['status'] = incoming['status'];
    } else {
      next = incoming;
      next.apiVersion = old.apiVersion;
      next.kind = old.kind;
      if (sres.subresources?.includes('status')) {
        if (old['status'] === undefined) delete next['status'];
        else next['status'] = structuredClone(old['status']);
      }
      if (next.metadata.managedFields === undefined && old.metadata.managedFields !== undefined)
        next.metadata.managedFields = structuredClone(old.metadata.managedFields);
    }
    return this.commitUpdate(resource, old, next, options);
  }

  private commitUpdate(
    resource: ResourceType,
    old: KObject,
    next: KObject,
    options: InternalWriteOptions,
  ): KObject {
    const sres = storageResourceOf(resource);
    const meta = next.metadata;
    const preserved = ['name', 'namespace', 'uid', 'creationTimestamp'] as const;
    const deletionMeta = options.allowDeletionMeta
      ? []
      : (['deletionTimestamp', 'deletionGracePeriodSeconds'] as const);
    for (const field of [...preserved, ...deletionMeta]) {
      if (old.metadata[field] === undefined) delete meta[field];
      else (meta as Record<string, unknown>)[field] = old.metadata[field];
    }
    meta.resourceVersion = old.metadata.resourceVersion;
    if (options.subresource !== 'status') applyDefaults(next, this.state.allocateIp);
    const causes = validateObject(next, old);
    if (causes.length > 0) throw invalid(sres, sres.kind, meta.name ?? '', causes);
    this.admit('UPDATE', sres, next, old, options);
    if (GENERATION_KINDS.has(sres.kind))
      meta.generation =
        specPart(next) === specPart(old)
          ? (old.metadata.generation ?? 1)
          : (old.metadata.generation ?? 1) + 1;
    else if (meta.generation !== undefined) delete meta.generation;
    if (options.fieldManager && !options.managedDone)
      recordUpdate(old, next, options.fieldManager, options.subresource, nowTimestamp(this.now()));
    const { managedFields: _a, ...nextMeta } = meta;
    const { managedFields: _b, ...oldMeta } = old.metadata;
    const unchanged = deepEqualJson({ ...next, metadata: nextMeta }, { ...old, metadata: oldMeta });
    if (unchanged || options.dryRun) return fromStorage(resource, unchanged ? old : next);
    const finishing =
      old.metadata.deletionTimestamp !== undefined && (meta.finalizers ?? []).length === 0;
    const rv = this.store.nextRv();
    meta.resourceVersion = String(rv);
    const key = storageKeyOf(sres);
    if (finishing) {
      this.store.remove(key, meta.namespace ?? '', meta.name!, deepFreeze(next), rv);
      this.collector.afterRemoval(next);
    } else this.store.put(key, deepFreeze(next), rv);
    return fromStorage(resource, next);
  }

  patch(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: InternalWriteOptions,
  ): KObject {
    const entry = this.entry(resource, namespace, name);
    const manager = options.fieldManager ?? 'unknown';
    if (!entry) {
      if (type !== 'apply') throw notFound(storageResourceOf(resource), name);
      const applied = withIdentity(patch as KObject, namespace, name, resource);
      const created = serverSideApply(undefined, applied, {
        manager,
        force: options.force ?? false,
        time: nowTimestamp(this.now()),
      });
      return this.create(resource, created, { ...options, managedDone: true });
    }
    const current = structuredClone(fromStorage(resource, entry.object)) as KObject;
    let next: KObject;
    switch (type) {
      case 'json':
        next = applyJsonPatch(current, patch) as KObject;
        break;
      case 'merge':
        next = applyMergePatch(current, patch) as KObject;
        break;
      case 'strategic':
        next = applyStrategicPatch(current, patch) as KObject;
        break;
      case 'apply':
        next = serverSideApply(current, withIdentity(patch as KObject, namespace, name, resource), {
          manager,
          force: options.force ?? false,
          time: nowTimestamp(this.now()),
        });
        break;
    }
    if (next.metadata?.name !== undefined && next.metadata.name !== name)
      throw new ApiError(
        422,
        'Invalid',
        `the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`,
      );
    next.metadata = { ...next.metadata, name, ...(resource.namespaced ? { namespace } : {}) };
    return this.update(resource, next, {
      ...options,
      managedDone: type === 'apply' || options.managedDone,
      owned: true,
    });
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions & DeleteOptions,
  ): KObject | undefined {
    return this.collector.delete(
      storageResourceOf(resource),
      namespace,
      name,
      options,
      (o) => fromStorage(resource, o),
      (op, obj, old) => this.admit(op, storageResourceOf(resource), obj, old, options),
    );
  }

  /** Writes a changed copy of a stored object (used by GC and namespace termination). */
  rewrite(resource: ResourceType, old: KObject, next: KObject, options: WriteOptions): KObject {
    return this.commitUpdate(resource, old, next, {
      ...options,
      managedDone: true,
      allowDeletionMeta: true,
    });
  }

  recordEvent(
    involved: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void {
    this.events.record(involved, type, reason, message, source);
  }
}

function withIdentity(
  object: KObject,
  namespace: string | undefined,
  name: string,
  resource: ResourceType,
): KObject {
  const meta = { ...(object.metadata ?? {}) };
  if (meta.name !== undefined && meta.name !== name)
    throw new ApiError(
      400,
      'BadRequest',
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    );
  meta.name = name;
  if (resource.namespaced) meta.namespace = namespace;
  return { ...object, metadata: meta };
}
