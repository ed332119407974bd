/**
 * The kubectl flavour of JSONPath used in scenario assertions: a template of literal text
 * and `{…}` expressions (`{.status.phase}`, `{.items[*].metadata.name}`,
 * `{.status.conditions[?(@.type=="Ready")].status}`, `{..image}`,
 * `{.metadata.labels.app\.kubernetes\.io/name}`). Output matches kubectl: strings raw,
 * other values as JSON, several results separated by a space.
 */
import { SimError, SimErrorCode } from './errors.ts';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string | '*' }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'filter'; path: Step[]; op?: string; value?: string | number | boolean };

type Segment = { text: string } | { steps: Step[] };

function fail(template: string, why: string): never {
  throw new SimError(
    SimErrorCode.InvalidJsonPath,
    `invalid jsonpath ${JSON.stringify(template)}: ${why}`,
  );
}

function readName(src: string, i: number): { name: string; next: number } {
  let name = '';
  while (i < src.length && src[i] !== '.' && src[i] !== '[') {
    if (src[i] === '\\' && i + 1 < src.length) {
      name += src[i + 1];
      i += 2;
    } else name += src[i++];
  }
  return { name, next: i };
}

function parseLiteral(text: string): string | number | boolean {
  const t = text.trim();
  if (/^(["']).*\1$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

function parseSteps(src: string, template: string): Step[] {
  const steps: Step[] = [];
  let i = src.startsWith('$') ? 1 : src.startsWith('@') ? 1 : 0;
  while (i < src.length) {
    if (src.startsWith('..', i)) {
      const { name, next } = readName(src, i + 2);
      steps.push({ kind: 'recursive', name: name === '' ? '*' : name });
      i = next;
    } else if (src[i] === '.') {
      const { name, next } = readName(src, i + 1);
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      i = next;
      if (name === '' && i < src.length && src[i] !== '[') fail(template, 'empty field name');
    } else if (src[i] === '[') {
      const close = findClose(src, i);
      if (close < 0) fail(template, 'unterminated "["');
      steps.push(parseBracket(src.slice(i + 1, close), template));
      i = close + 1;
    } else fail(template, `unexpected ${JSON.stringify(src[i])} at ${i}`);
  }
  return steps.filter((s) => !(s.kind === 'field' && s.name === ''));
}

function findClose(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function parseBracket(body: string, template: string): Step {
  const b = body.trim();
  if (b === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(b)) return { kind: 'index', index: Number(b) };
  if (/^(["']).*\1$/.test(b)) return { kind: 'field', name: b.slice(1, -1) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(b);
  if (slice) {
    return {
      kind: 'slice',
      start: slice[1] === '' ? undefined : Number(slice[1]),
      end: slice[2] === '' ? undefined : Number(slice[2]),
    };
  }
  const filter = /^\?\((.*)\)$/.exec(b);
  if (filter) {
    const expr = filter[1] ?? '';
    const m = /^(@[^=!<>~]*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.+)$/.exec(expr);
    if (m)
      return {
        kind: 'filter',
        path: parseSteps((m[1] ?? '').trim(), template),
        op: m[2] ?? '',
        value: parseLiteral(m[3] ?? ''),
      };
    if (expr.trim().startsWith('@'))
      return { kind: 'filter', path: parseSteps(expr.trim(), template) };
    fail(template, `unsupported filter ${JSON.stringify(expr)}`);
  }
  return fail(template, `unsupported subscript [${body}]`);
}

export function parseJsonPath(template: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      segments.push({ text: template.slice(i) });
      break;
    }
    if (open > i) segments.push({ text: template.slice(i, open) });
    const close = template.indexOf('}', open);
    if (close < 0) fail(template, 'unclosed "{"');
    const expr = template.slice(open + 1, close).trim();
    if (/^(range|end)\b/.test(expr))
      fail(template, '{range} is not supported in scenario assertions');
    segments.push({ steps: parseSteps(expr, template) });
    i = close + 1;
  }
  return segments;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

function compare(left: unknown, op: string | undefined, right: unknown): boolean {
  if (op === undefined) return left !== undefined && left !== null;
  switch (op) {
    case '==':
      return left === right || String(left) === String(right);
    case '!=':
      return !(left === right || String(left) === String(right));
    case '=~':
      return typeof left === 'string' && new RegExp(String(right)).test(left);
    default: {
      const a = Number(left);
      const b = Number(right);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
  }
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        step.name in value
        ? [(value as Record<string, unknown>)[step.name]]
        : [];
    case 'wildcard':
      return children(value);
    case 'index': {
      if (!Array.isArray(value)) return [];
      const item = value[step.index < 0 ? value.length + step.index : step.index];
      return item === undefined ? [] : [item];
    }
    case 'slice':
      return Array.isArray(value) ? value.slice(step.start, step.end) : [];
    case 'filter':
      return children(value).filter((item) => {
        const found = evaluate(step.path, item);
        return found.some((v) => compare(v, step.op, step.value));
      });
    case 'recursive': {
      const out: unknown[] = [];
      const walk = (v: unknown) => {
        if (step.name === '*') out.push(...children(v));
        else out.push(...apply({ kind: 'field', name: step.name }, v));
        for (const child of children(v)) walk(child);
      };
      walk(value);
      return out;
    }
  }
}

function evaluate(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) current = current.flatMap((value) => apply(step, value));
  return current;
}

function render(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface JsonPathResult {
  /** Every value the expressions matched, in order. */
  values: unknown[];
  /** kubectl's `-o jsonpath=` output. */
  text: string;
}

export function jsonPath(template: string, object: unknown): JsonPathResult {
  const values: unknown[] = [];
  let text = '';
  for (const segment of parseJsonPath(template)) {
    if ('text' in segment) {
      text += segment.text;
      continue;
    }
    const found = evaluate(segment.steps, object).filter((v) => v !== undefined);
    values.push(...found);
    text += found.map(render).join(' ');
  }
  return { values, text };
}
