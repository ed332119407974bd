import type { Finding, Severity } from '../analyzers/types.ts';
import { SEVERITY_RANK, toFindingPayload } from '../analyzers/types.ts';

export const WIDTH = 96;

/** Word-wrap to `width` columns with a hanging indent; long unbreakable words are cut. */
export function wrap(text: string, indent: string, width = WIDTH, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let lineHasWord = false;
  for (const rawWord of text.split(/\s+/).filter(Boolean)) {
    let word = rawWord;
    while (word.length > width - indent.length) {
      if (lineHasWord) {
        lines.push(line);
        line = indent;
        lineHasWord = false;
      }
      lines.push(line + word.slice(0, width - indent.length));
      word = word.slice(width - indent.length);
      line = indent;
    }
    if (lineHasWord && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      lineHasWord = false;
    }
    line += (lineHasWord ? ' ' : '') + word;
    lineHasWord = true;
  }
  if (lineHasWord || lines.length === 0) lines.push(line);
  return lines;
}

/** Args as one-line JSON with a space after each separator, so long args wrap between fields. */
function readableArgs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(readableArgs).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}: ${readableArgs(v)}`,
    );
    return `{${fields.join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The exact JSON shape of `opsloop diagnose --json`: the `DiagnosisRecorded` finding
 * (`toFindingPayload`, so what a person must do is in the explanation) with the object's
 * apiVersion and the proposed fixes.
 */
export function findingJson(f: Finding) {
  const payload = toFindingPayload(f);
  return {
    ...payload,
    object: { apiVersion: f.object.apiVersion, ...payload.object },
    remediations: f.remediations.map((r) => ({
      action: r.action,
      args: r.args,
      confidence: r.confidence,
      reasoning: r.reasoning,
    })),
  };
}

const LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  warning: 'WARNING',
  info: 'INFO',
};

function countLine(findings: Finding[]): string {
  const counts = (['critical', 'warning', 'info'] as Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    // "2 critical, 3 warnings, 1 info": only the countable noun takes a plural.
    .map(([s, n]) => `${n} ${s}${n > 1 && s === 'warning' ? 's' : ''}`);
  return counts.length ? counts.join(', ') : 'no findings';
}

export function formatReport(byNamespace: Map<string, Finding[]>): string {
  const out: string[] = [];
  for (const [namespace, findings] of byNamespace) {
    out.push(`Namespace ${namespace}: ${countLine(findings)}`);
    const sorted = [...findings].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
    );
    for (const f of sorted) {
      out.push('');
      const ref = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      out.push(...wrap(`${LABEL[f.severity]} ${f.code} — ${ref}`, '    ', WIDTH, '  '));
      out.push(...wrap(f.explanation, '    '));
      out.push('    Evidence (from the cluster; quoted, untrusted):');
      for (const e of f.evidence) out.push(...wrap(e, '        ', WIDTH, '      - '));
      if (f.remediations.length) {
        out.push('    Proposed fixes (not applied):');
        f.remediations.forEach((r, i) => {
          out.push(
            ...wrap(
              `${i + 1}. ${r.action} ${readableArgs(r.args)} (confidence ${r.confidence.toFixed(2)})`,
              '         ',
              WIDTH,
              '      ',
            ),
          );
          out.push(...wrap(`why: ${r.reasoning}`, '         '));
        });
      }
      if (f.humanAction)
        out.push(...wrap(`Needs a person: ${f.humanAction}`, '      ', WIDTH, '    '));
    }
    out.push('');
  }
  return out.join('\n');
}
