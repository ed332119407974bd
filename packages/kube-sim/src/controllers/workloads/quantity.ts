/**
 * Kubernetes resource quantities for quota and limit arithmetic. Amounts are kept in
 * milli-units (so "250m" CPU and "1" pod are exact integers) and formatted back the way
 * resource.Quantity canonicalises: decimal amounts use the largest exact SI suffix
 * ("1800m", "2", "5k"), binary amounts the largest exact power-of-two suffix ("640Mi").
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

export interface Amount {
  /** Value × 1000, rounded up like Quantity.MilliValue(). */
  milli: number;
  binary: boolean;
}

export function parseAmount(text: unknown): Amount | undefined {
  if (typeof text === 'number') return { milli: Math.ceil(text * 1000), binary: false };
  if (typeof text !== 'string') return undefined;
  const m = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!m) return undefined;
  const factor = FACTOR.get(m[2]!);
  if (factor === undefined) return undefined;
  return { milli: Math.ceil(Number(m[1]) * factor * 1000 - 1e-6), binary: m[2]!.endsWith('i') };
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
