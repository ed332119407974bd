/**
 * A scenario is one multi-document YAML file: ordinary Kubernetes objects, any
 * `ImageBehavior` documents, and exactly one `kind: Scenario`.
 *
 * History: an object defined more than once (same apiVersion, kind, namespace and name) is
 * applied in stages. Stage 0 holds every first definition; the loader waits until the
 * cluster has settled (`spec.settleSeconds`), then applies every second definition as an
 * update, and so on. Writing a Deployment twice therefore gives revision 1 (the first
 * document) and then revision 2 (the second), exactly like two `kubectl apply` runs.
 */
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../api/types.ts';
import { findKind } from '../resources.ts';
import { SimError, SimErrorCode, formatPath } from './errors.ts';
import {
  parseImageBehavior,
  describeIssues,
  SIM_API_VERSION,
  type ImageBehavior,
} from './image-behavior.ts';
import {
  checkSchemaFor,
  scenarioDocumentSchema,
  type Check,
  type NodesSpec,
} from './scenario-schema.ts';

export interface ScenarioSpec {
  summary: string;
  request: string;
  namespace: string;
  nodes: NodesSpec;
  settleSeconds: number;
  verify: Check[];
  forbid: Check[];
}

export interface Scenario {
  name: string;
  /** Where it was read from (for messages). */
  file: string;
  spec: ScenarioSpec;
  /** Kubernetes objects by stage; stage 0 is the initial state. */
  stages: KObject[][];
  imageBehaviors: ImageBehavior[];
  /** True when the file declares its own Node objects (then `spec.nodes` is not used). */
  declaresNodes: boolean;
}

function invalid(file: string, index: number | undefined, message: string): SimError {
  const where = index === undefined ? file : `${file} document ${index + 1}`;
  return new SimError(SimErrorCode.InvalidScenario, `${where}: ${message}`);
}

function objectKey(object: KObject): string {
  return `${object.apiVersion}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name ?? ''}`;
}

function asKubeObject(doc: unknown, file: string, index: number, namespace: string): KObject {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalid(file, index, 'expected a mapping with apiVersion, kind and metadata');
  }
  const o = doc as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string') throw invalid(file, index, 'apiVersion: required string');
  if (typeof o.kind !== 'string') throw invalid(file, index, 'kind: required string');
  const resource = findKind(o.apiVersion, o.kind);
  if (resource === undefined) {
    throw invalid(
      file,
      index,
      `kind: kube-sim does not serve kind "${o.kind}" in apiVersion "${o.apiVersion}"`,
    );
  }
  const metadata = o.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw invalid(file, index, 'metadata: required mapping');
  }
  const meta = { ...(metadata as Record<string, unknown>) };
  if (typeof meta.name !== 'string' || meta.name === '')
    throw invalid(file, index, 'metadata.name: required');
  if (resource.namespaced) {
    meta.namespace ??= namespace;
  } else if (meta.namespace !== undefined) {
    throw invalid(
      file,
      index,
      `metadata.namespace: ${o.kind} is cluster-scoped and takes no namespace`,
    );
  }
  return { ...o, metadata: meta } as KObject;
}

function parseChecks(
  items: unknown[],
  field: 'verify' | 'forbid',
  file: string,
  index: number,
): Check[] {
  return items.map((item, i) => {
    const result = checkSchemaFor(item).safeParse(item);
    if (!result.success)
      throw invalid(file, index, describeIssues(result.error, `spec.${field}[${i}]`));
    return result.data;
  });
}

/** Parses the text of one scenario file. `file` is used in error messages. */
export function parseScenario(text: string, file = 'scenario.yaml'): Scenario {
  const documents = parseAllDocuments(text);
  const raw: { doc: unknown; index: number }[] = [];
  documents.forEach((document, index) => {
    if (document.errors.length > 0) {
      // The yaml library appends a code frame on further lines; the report stays one line.
      const message = (document.errors[0]?.message ?? 'unreadable').split('\n')[0]!;
      throw invalid(file, index, `YAML error: ${message.replace(/:$/, '')}`);
    }
    const doc: unknown = document.toJS();
    if (doc !== null && doc !== undefined) raw.push({ doc, index });
  });
  const scenarioDocs = raw.filter(({ doc }) => (doc as { kind?: unknown }).kind === 'Scenario');
  if (scenarioDocs.length !== 1) {
    throw invalid(
      file,
      undefined,
      `expected exactly one "kind: Scenario" document, found ${scenarioDocs.length}`,
    );
  }
  const scenarioDoc = scenarioDocs[0] as { doc: unknown; index: number };
  const parsed = scenarioDocumentSchema.safeParse(scenarioDoc.doc);
  if (!parsed.success) throw invalid(file, scenarioDoc.index, describeIssues(parsed.error));
  const { spec: rawSpec, metadata } = parsed.data;
  const spec: ScenarioSpec = {
    ...rawSpec,
    verify: parseChecks(rawSpec.verify, 'verify', file, scenarioDoc.index),
    forbid: parseChecks(rawSpec.forbid, 'forbid', file, scenarioDoc.index),
  };

  const stages: KObject[][] = [];
  const seen = new Map<string, number>();
  const imageBehaviors: ImageBehavior[] = [];
  let declaresNodes = false;
  for (const { doc, index } of raw) {
    if (doc === scenarioDoc.doc) continue;
    const kind = (doc as { kind?: unknown }).kind;
    if (
      kind === 'ImageBehavior' ||
      (doc as { apiVersion?: unknown }).apiVersion === SIM_API_VERSION
    ) {
      imageBehaviors.push(parseImageBehavior(doc, `${file} document ${index + 1}`));
      continue;
    }
    const object = asKubeObject(doc, file, index, spec.namespace);
    if (object.kind === 'Node') declaresNodes = true;
    const key = objectKey(object);
    const stage = seen.get(key) ?? 0;
    seen.set(key, stage + 1);
    (stages[stage] ??= []).push(object);
  }
  for (const check of [...spec.verify, ...spec.forbid]) {
    if ('kind' in check && findKind(check.apiVersion, check.kind) === undefined) {
      throw invalid(
        file,
        scenarioDoc.index,
        `${formatPath(['spec'])}: check names unknown kind "${check.kind}" in "${check.apiVersion}"`,
      );
    }
  }
  return {
    name: metadata.name,
    file,
    spec,
    stages: stages.length === 0 ? [[]] : stages,
    imageBehaviors,
    declaresNodes,
  };
}
