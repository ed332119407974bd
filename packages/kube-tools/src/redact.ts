/**
 * Credential redaction for anything read from the cluster that may reach a person or a
 * model: log lines, env values, event messages, annotations. Patterns err on the side of
 * hiding too much; a redacted value is replaced by a marker naming what was hidden.
 */
const RULES: { name: string; pattern: RegExp; replace: string }[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replace: '[REDACTED private-key]',
  },
  {
    name: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
    replace: '[REDACTED jwt]',
  },
  {
    name: 'bearer',
    pattern: /\b(bearer|token)(\s+|[:=]\s*)[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: '$1$2[REDACTED token]',
  },
  { name: 'basic-auth', pattern: /\bbasic\s+[A-Za-z0-9+/=]{8,}/gi, replace: 'Basic [REDACTED]' },
  {
    name: 'url-password',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi,
    replace: '$1:[REDACTED]@',
  },
  {
    name: 'aws-access-key',
    pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
    replace: '[REDACTED aws-key]',
  },
  {
    name: 'aws-secret',
    pattern:
      /\b(aws_secret_access_key|aws-secret-access-key|secretaccesskey)(\s*[:=]\s*)["']?[A-Za-z0-9/+=]{30,}["']?/gi,
    replace: '$1$2[REDACTED]',
  },
  { name: 'gcp-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: '[REDACTED gcp-key]' },
  {
    name: 'gcp-service-account',
    pattern: /"private_key_id"\s*:\s*"[^"]*"/g,
    replace: '"private_key_id": "[REDACTED]"',
  },
  {
    name: 'github-token',
    pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
    replace: '[REDACTED gh-token]',
  },
  {
    name: 'slack-token',
    pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
    replace: '[REDACTED slack-token]',
  },
  {
    name: 'key-value-secret',
    pattern:
      /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret|credentials?)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)([^\s"'&,;]+)/gi,
    replace: '$1$2[REDACTED]',
  },
];

export function redact(text: string): string {
  let out = text;
  for (const rule of RULES) out = out.replace(rule.pattern, rule.replace);
  return out;
}

/** Names that say an env var holds a credential; its value is hidden whatever it looks like. */
const SECRET_NAME =
  /(password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|credential|private[_-]?key|auth)/i;

export function redactEnvValue(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return '[REDACTED]';
  return redact(value);
}

/**
 * Redacts a structured value leaf by leaf: every string through `redact`, and a string
 * under a key that names a credential (`password`, `apiKey`, …) hidden whatever it looks
 * like. Redacting the serialized JSON instead would let a pattern swallow the JSON's own
 * quotes and braces (`"secretKeyRef":{…` read as key=value) and hand out broken JSON.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = typeof inner === 'string' ? redactEnvValue(key, inner) : redactValue(inner);
  }
  return out;
}

export interface Bounded<T> {
  value: T;
  truncated: boolean;
  /** What was cut, in words a reader understands ("12 of 40 items shown"). */
  note?: string;
}

/** Keep the last `maxLines` lines and at most `maxBytes` characters (logs grow at the end). */
export function tailBound(text: string, maxLines: number, maxChars: number): Bounded<string> {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let kept = lines.slice(-maxLines);
  let truncated = kept.length < lines.length;
  let joined = kept.join('\n');
  if (joined.length > maxChars) {
    joined = joined.slice(joined.length - maxChars);
    const cut = joined.indexOf('\n');
    if (cut >= 0) joined = joined.slice(cut + 1);
    kept = joined.split('\n');
    truncated = true;
  }
  return truncated
    ? { value: joined, truncated, note: `showing the last ${kept.length} of ${lines.length} lines` }
    : { value: joined, truncated };
}

export function boundList<T>(items: T[], max: number): Bounded<T[]> {
  if (items.length <= max) return { value: items, truncated: false };
  return {
    value: items.slice(0, max),
    truncated: true,
    note: `${max} of ${items.length} items shown`,
  };
}

/** Shorten one string for evidence lines: quoted, single line, capped. */
export function quote(text: string, max = 240): string {
  // Control characters (terminal escapes included) never reach a terminal or a model.
  const oneLine = redact(text)
    .replace(/[\r\n\t]+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '');
  const capped = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return JSON.stringify(capped);
}

/**
 * A structured value (selector, probe, rules) for evidence lines: compact JSON, redacted
 * and capped. JSON already marks where the cluster's data begins and ends, so it is not
 * quoted a second time as a string (which would escape every inner quote).
 */
export function quoteJson(value: unknown, max = 240): string {
  const text = JSON.stringify(redactValue(value)) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
