/**
 * Formatting shared by the printers, matching what kubectl users see from a real API
 * server: ages like `3m2s`, `<none>` for empty lists, label selectors as `a=b,c in (d)`.
 */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}
export function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}
export function strs(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
export function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
export function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Whether `status.conditions` holds a condition of this type with status "True". */
export function conditionTrue(status: Json, type: string): boolean {
  return arr(status.conditions).some((c) => str(c.type) === type && str(c.status) === 'True');
}

/** IPs (or hostnames) of `status.loadBalancer.ingress`, as Services and Ingresses report them. */
export function loadBalancerAddresses(status: Json): string[] {
  return arr(obj(status.loadBalancer).ingress)
    .map((i) => str(i.ip) || str(i.hostname))
    .filter((a) => a !== '');
}

/** kubectl's duration.HumanDuration: two significant units at most, coarser as it grows. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24);
    const d = days % 365;
    return d === 0 ? `${Math.trunc(days / 365)}y` : `${Math.trunc(days / 365)}y${d}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Age of a timestamp, `<unknown>` when it is missing (translateTimestampSince). */
export function since(timestamp: unknown, now: Date): string {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(ms)) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}

/** `a=b,c=d` sorted by key; `<none>` when empty (labels.FormatLabels). */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
}

/** A metav1.LabelSelector as a selector string; '' selects everything. */
export function selectorString(selector: unknown): string {
  const s = obj(selector);
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(obj(s.matchLabels)))
    parts.push({ key, text: `${key}=${str(value)}` });
  for (const expr of arr(s.matchExpressions)) {
    const key = str(expr.key);
    const values = strs(expr.values).sort();
    const op = str(expr.operator);
    const text =
      op === 'In'
        ? `${key} in (${values.join(',')})`
        : op === 'NotIn'
          ? `${key} notin (${values.join(',')})`
          : op === 'Exists'
            ? key
            : `!${key}`;
    parts.push({ key, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** metav1.FormatLabelSelector: like selectorString but `<none>` for an empty selector. */
export function formatSelector(selector: unknown): string {
  const text = selectorString(selector);
  return text === '' ? '<none>' : text;
}

/** Container names and images of a pod template, comma-joined (layoutContainerCells). */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = arr(obj(podSpec).containers);
  return [
    containers.map((c) => str(c.name)).join(','),
    containers.map((c) => str(c.image)).join(','),
  ];
}

/** Joins up to `max` items, then "+ N more..." (the printers' listWithMoreString). */
export function listWithMore(items: string[], max: number, empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

export function boolPtr(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : '<unset>';
}

const ACCESS_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

export function accessModes(modes: unknown): string {
  const list = strs(modes);
  const order = Object.keys(ACCESS_MODES);
  return order
    .filter((m) => list.includes(m))
    .map((m) => ACCESS_MODES[m])
    .join(',');
}
