/**
 * Loads ordinary Kubernetes YAML (multi-document, `kind: List` too) into the cluster. Every
 * document is checked before anything is created, so a malformed file changes nothing and
 * the error names the file, the document and what is wrong.
 */
import { parseAllDocuments } from 'yaml';
import { findKind, type ResourceType } from '../resources.ts';
import type { Cluster } from '../api/cluster.ts';
import { ApiError } from '../api/errors.ts';
import type { KObject, UserInfo } from '../api/types.ts';

export class SimLoadError extends Error {
  readonly code = 'OPS_ERR_SIM_BAD_YAML';
  constructor(message: string) {
    super(message);
    this.name = 'SimLoadError';
  }
}

/** Documents of kinds the API does not serve but the simulation understands (e.g. ImageBehavior). */
export type DocumentHandler = (document: KObject, source: string) => void;

interface Parsed {
  index: number;
  object: KObject;
  resource: ResourceType | undefined;
}

const LOADER: UserInfo = {
  username: 'system:kube-sim:loader',
  groups: ['system:masters', 'system:authenticated'],
};

function where(source: string, index: number): string {
  return `${source}: document ${index}`;
}

export function parseDocuments(
  text: string,
  source: string,
  handlers: ReadonlyMap<string, DocumentHandler>,
): Parsed[] {
  const docs = parseAllDocuments(text);
  const out: Parsed[] = [];
  docs.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0)
      throw new SimLoadError(`${where(source, index)}: invalid YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new SimLoadError(
        `${where(source, index)}: expected a mapping with apiVersion, kind and metadata`,
      );
    const object = value as KObject;
    if (object.kind === 'List' && Array.isArray(object['items'])) {
      for (const item of object['items'] as KObject[])
        out.push(check(item, `${source}: document ${index} (List item)`, index, handlers));
      return;
    }
    out.push(check(object, where(source, index), index, handlers));
  });
  return out;
}

function check(
  object: KObject,
  at: string,
  index: number,
  handlers: ReadonlyMap<string, DocumentHandler>,
): Parsed {
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '')
    throw new SimLoadError(`${at}: missing "apiVersion"`);
  if (typeof object.kind !== 'string' || object.kind === '')
    throw new SimLoadError(`${at}: missing "kind"`);
  if (handlers.has(object.kind)) return { index, object, resource: undefined };
  const resource = findKind(object.apiVersion, object.kind);
  if (!resource)
    throw new SimLoadError(
      `${at}: unknown kind "${object.kind}" in apiVersion "${object.apiVersion}" (kube-sim serves the resources listed in its README)`,
    );
  const meta = object.metadata;
  if (meta === null || typeof meta !== 'object' || (!meta.name && !meta.generateName))
    throw new SimLoadError(`${at}: missing "metadata.name"`);
  return { index, object, resource };
}

/** Creates the documents (namespaces first); an existing object of the same name is replaced. */
export function loadDocuments(
  cluster: Cluster,
  parsed: Parsed[],
  source: string,
  handlers: ReadonlyMap<string, DocumentHandler>,
): KObject[] {
  const ordered = [...parsed].sort((a, b) => rank(a) - rank(b));
  const created: KObject[] = [];
  for (const { index, object, resource } of ordered) {
    if (!resource) {
      handlers.get(object.kind)!(object, source);
      continue;
    }
    const obj = structuredClone(object);
    if (resource.namespaced) obj.metadata.namespace ??= 'default';
    try {
      const existing = obj.metadata.name
        ? cluster.get(resource, obj.metadata.namespace, obj.metadata.name)
        : undefined;
      if (existing) {
        obj.metadata.resourceVersion = existing.metadata.resourceVersion;
        created.push(
          cluster.update(resource, obj, { user: LOADER, fieldManager: 'kube-sim-loader' }),
        );
      } else
        created.push(
          cluster.create(resource, obj, { user: LOADER, fieldManager: 'kube-sim-loader' }),
        );
    } catch (error) {
      const detail = error instanceof ApiError ? error.message : String(error);
      throw new SimLoadError(
        `${where(source, index)} (${object.kind} ${obj.metadata.name ?? ''}): ${detail}`,
      );
    }
  }
  return created;
}

function rank(p: Parsed): number {
  if (p.object.kind === 'Namespace') return 0;
  if (!p.resource) return 1;
  return 2;
}
