/**
 * Resource quantities ("250m", "1.5", "128Mi", "1G") as plain numbers: CPU in millicores,
 * everything else in base units (bytes, pods). Malformed quantities count as 0 because the
 * API server already rejected them at validation; the scheduler must never throw on one.
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return 0;
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return 0;
  const factor = SUFFIX[m[2]!];
  return factor === undefined ? 0 : Number(m[1]) * factor;
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

export function formatCpu(millis: number): string {
  return `${Math.round(millis)}m`;
}

export function formatMemory(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}
