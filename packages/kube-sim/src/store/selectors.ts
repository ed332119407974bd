/**
 * Label and field selectors with the grammar of k8s.io/apimachinery/pkg/labels and
 * pkg/fields. Parsing happens once per request; matching is a plain function call per object.
 */
import { badRequest } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';

export type Matcher = (object: KObject) => boolean;

type LabelOp = 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin';
interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → two parts). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(part: string, selector: string): LabelRequirement {
  const setMatch = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
  if (setMatch) {
    const values = setMatch[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    return { key: setMatch[1]!, op: setMatch[2] as LabelOp, values };
  }
  const eq = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
  if (eq) {
    return { key: eq[1]!, op: eq[2] === '!=' ? '!=' : '=', values: [eq[3]!] };
  }
  if (/^![^\s!=()]+$/.test(part)) return { key: part.slice(1), op: '!exists', values: [] };
  if (/^[^\s!=()]+$/.test(part)) return { key: part, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${part}', in selector "${selector}"`);
}

function matchesRequirement(labels: Record<string, string>, req: LabelRequirement): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case '=':
      return has && value === req.values[0];
    case '!=':
      return !has || value !== req.values[0];
    case 'in':
      return has && req.values.includes(value!);
    case 'notin':
      return !has || !req.values.includes(value!);
  }
}

export function parseLabelSelector(selector: string | undefined): Matcher | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const reqs = splitTopLevel(selector).map((p) => parseRequirement(p, selector));
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return reqs.every((r) => matchesRequirement(labels, r));
  };
}

/** A structured selector (`matchLabels` + `matchExpressions`), as in Deployment.spec.selector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function labelSelectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' }[e.operator];
    if (op === undefined) return false;
    if (!matchesRequirement(labels, { key: e.key, op: op as LabelOp, values: e.values ?? [] }))
      return false;
  }
  return true;
}

/** Field paths each kind may select on, beyond metadata.name / metadata.namespace. */
const EXTRA_FIELDS: Record<string, string[]> = {
  Pod: [
    'status.phase',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
    'regarding.kind',
    'regarding.name',
    'regarding.namespace',
  ],
  Namespace: ['status.phase'],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  Job: ['status.successful'],
  ReplicaSet: ['status.replicas'],
};

function fieldValue(object: KObject, path: string): string {
  if (path === 'source') {
    const source = (object as { source?: { component?: string } }).source;
    return source?.component ?? '';
  }
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function parseFieldSelector(
  selector: string | undefined,
  kind: string,
): Matcher | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const allowed = ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[kind] ?? [])];
  const reqs = splitTopLevel(selector).map((part) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: m[3]!.trim() };
  });
  return (object) => reqs.every((r) => (fieldValue(object, r.field) === r.value) !== r.negate);
}
