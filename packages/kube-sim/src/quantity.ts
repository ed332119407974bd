/**
 * Kubernetes resource quantities ("250m", "1.5", "128Mi", "1G", "1e3"): one parser, and the
 * two views the controllers need of it.
 *
 * - Node side (scheduler, kubelet): plain numbers, CPU in millicores and everything else in
 *   base units (bytes, pods). Malformed quantities count as 0 because the API server
 *   already rejected them at validation; the scheduler must never throw on one.
 * - Quota side (ResourceQuota, LimitRange, HPA, storage): exact milli-units, formatted back
 *   the way resource.Quantity canonicalises: decimal amounts use the largest exact SI
 *   suffix ("1800m", "2", "5k"), binary amounts the largest exact power-of-two suffix
 *   ("640Mi").
 */
const DECIMAL: [string, number][] = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];
const BINARY: [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const FACTOR = new Map<string, number>([['', 1], ['m', 1e-3], ...DECIMAL, ...BINARY]);

/** A quantity string in base units, with whether it used a binary suffix; undefined if malformed. */
function parseText(text: string): { value: number; binary: boolean } | undefined {
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return undefined;
  const factor = FACTOR.get(m[2]!);
  if (factor === undefined) return undefined;
  return { value: Number(m[1]) * factor, binary: m[2]!.endsWith('i') };
}

// Node view.

/** Base units ("128Mi" → 134217728, "250m" → 0.25); 0 when malformed. */
export function parseQuantity(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return 0;
  return parseText(text)?.value ?? 0;
}

/** CPU quantity in millicores ("250m" → 250, "2" → 2000). */
export function cpuMillis(text: unknown): number {
  return Math.round(parseQuantity(text) * 1000);
}

export type ResourceList = Record<string, string | undefined>;

/** Numbers per resource name; cpu in millicores, the rest in base units. */
export function toAmounts(list: ResourceList | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(list ?? {})) {
    out[name] = name === 'cpu' ? cpuMillis(value) : parseQuantity(value);
  }
  return out;
}

/** Bytes as the kibibytes metrics-server reports ("524288Ki"). */
export function formatMemory(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}

// Quota view.

export interface Amount {
  /** Value × 1000, rounded up like Quantity.MilliValue(). */
  milli: number;
  binary: boolean;
}

export function parseAmount(text: unknown): Amount | undefined {
  if (typeof text === 'number') return { milli: Math.ceil(text * 1000), binary: false };
  if (typeof text !== 'string') return undefined;
  const parsed = parseText(text);
  if (parsed === undefined) return undefined;
  return { milli: Math.ceil(parsed.value * 1000 - 1e-6), binary: parsed.binary };
}

export function milliOf(text: unknown): number {
  return parseAmount(text)?.milli ?? 0;
}

export function formatAmount(milli: number, binary: boolean): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const value = milli / 1000;
  if (value === 0) return '0';
  for (const [suffix, factor] of binary ? BINARY : DECIMAL) {
    if (Math.abs(value) >= factor && value % factor === 0) return `${value / factor}${suffix}`;
  }
  return String(value);
}
