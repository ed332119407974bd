import { z } from 'zod';
import { DnsLabel, DnsSubdomain } from '@opsloop/contracts';

/**
 * Argument validators shared by actions, checks and read tools. Everything here is strict
 * ASCII: a Cyrillic "а" or a fullwidth letter in a name is rejected, never normalised.
 */
/** DNS-1123 names are defined once, in contracts (kube-names), and only named here. */
export const Name = DnsSubdomain;
export const LabelName = DnsLabel;

export const Namespace = LabelName;

/** Container names are DNS-1123 labels too. */
export const ContainerName = LabelName;

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const LabelKey = z
  .string()
  .min(1)
  .max(316)
  .regex(LABEL_KEY, 'must be a label key ([prefix/]name)');
export const LabelValue = z.string().max(63).regex(LABEL_VALUE, 'must be a label value');
export const LabelMap = z
  .record(LabelKey, LabelValue)
  .refine((m) => Object.keys(m).length <= 32, 'at most 32 labels');

/** Environment variable names: C identifiers only. */
export const EnvName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a C identifier');

/**
 * Image reference: [registry[:port]/]path[:tag][@sha256:digest]. Lowercase path components,
 * no whitespace, no scheme, no shell characters.
 */
export const ImageRef = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    'must be an image reference such as "registry.example.com/team/app:1.2.3"',
  );

/** Resource quantities: "250m", "1.5", "512Mi", "2Gi", "1e3". */
export const Quantity = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][0-9]+)?$/,
    'must be a Kubernetes quantity such as "250m" or "512Mi"',
  );

export const Port = z.number().int().min(1).max(65535);
/** A named port is an IANA_SVC_NAME: lowercase, ≤15 chars, at least one letter. */
export const PortName = z
  .string()
  .min(1)
  .max(15)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  .refine((v) => /[a-z]/.test(v), 'must contain a letter');
export const PortOrName = z.union([Port, PortName]);

/** An HTTP path for probes and service checks: absolute, printable ASCII, no traversal. */
export const HttpPath = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/, 'must be an absolute URL path')
  .refine((p) => !p.split(/[/?]/).includes('..'), 'must not contain ".."');

/** Parse a quantity into a number of base units (cores, bytes). */
export function parseQuantity(value: string | number | undefined | null): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') return value;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value).trim());
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  const suffix = match[2] ?? '';
  const factors: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    Pi: 1024 ** 5,
    Ei: 1024 ** 6,
  };
  if (/^e[0-9]+$/i.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  const factor = factors[suffix];
  return factor === undefined ? Number.NaN : n * factor;
}
