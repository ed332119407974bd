/**
 * Terminal rendering of an operation (the gateway's projection). Lines stay within 100
 * columns; cluster data (evidence, log lines) is shown quoted, never interpreted.
 */
const WIDTH = 100;

export type Projection = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function clip(text: string, width = WIDTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, width - 1)}…`;
}

function wrap(text: string, indent: string, width = WIDTH): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += (line.trim() === '' ? '' : ' ') + word;
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

const json = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

export function formatOperation(op: Projection): string {
  const out: string[] = [];
  out.push(`operation ${op.id}  ${String(op.status).toUpperCase()}`);
  out.push(
    ...wrap(`request: "${op.request}"${op.namespace ? ` (namespace ${op.namespace})` : ''}`, ''),
  );
  if (op.requester) out.push(`requested by ${op.requester}`);
  const findings: Projection[] = op.diagnosis?.findings ?? [];
  if (findings.length > 0) {
    out.push('', `diagnosis (${findings.length} finding${findings.length === 1 ? '' : 's'}):`);
    for (const f of findings) {
      const o = f.object ?? {};
      const ref = `${o.kind ?? ''} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`.trim();
      out.push(`  [${f.severity}] ${f.code} on ${ref}`);
      out.push(...wrap(String(f.explanation ?? ''), '      '));
      for (const e of (f.evidence ?? []).slice(0, 4))
        out.push(`      > ${clip(String(e), WIDTH - 8)}`);
    }
  }
  if (op.answer)
    out.push(
      '',
      'answer:',
      ...String(op.answer)
        .split('\n')
        .flatMap((l) => wrap(l, '  ')),
    );
  const plan = op.plan;
  const steps: Projection[] = plan?.plan?.steps ?? [];
  if (steps.length) {
    const kind = plan.kind === 'rollback' ? 'rollback plan' : 'plan';
    out.push('', `${kind} ${plan.planHash} (risk ${plan.risk}):`);
    steps.forEach((step: Projection, i: number) => {
      const t = step.target ?? {};
      out.push(
        `  ${i + 1}. [${step.risk}] ${step.action} ${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`,
      );
      out.push(...wrap(String(step.summary ?? ''), '      '));
      for (const d of step.diff ?? []) {
        out.push(`      ${clip(`${d.path}: ${json(d.before)} → ${json(d.after)}`, WIDTH - 6)}`);
      }
    });
    if (plan.plan.rationale) out.push(...wrap(`why: ${plan.plan.rationale}`, '  '));
  }
  const approvals = op.approvals;
  if (approvals && (approvals.granted?.length || approvals.required) && plan) {
    const who = (approvals.granted ?? []).map((a: Projection) => a.approver ?? a.name).join(', ');
    out.push(
      '',
      `approvals: ${approvals.granted?.length ?? 0} of ${approvals.required ?? 1}${who ? ` (${who})` : ''}`,
    );
  }
  for (const s of op.steps ?? []) {
    out.push(`  step ${s.id ?? s.index}: ${s.status}${s.error ? ` — ${s.error.message}` : ''}`);
  }
  const checks: Projection[] = op.verification?.checks ?? [];
  if (checks.length) {
    out.push('', `verification: ${op.verification.status ?? ''}`);
    for (const c of checks) {
      out.push(
        `  ${c.passed ? 'pass' : 'FAIL'} ${c.check?.name ?? c.name} ${clip(json(c.observed), 70)}`,
      );
    }
  }
  if (op.rollback)
    out.push('', `rollback proposed: ${op.rollback.reason ?? ''} (${op.rollback.planHash ?? ''})`);
  if (op.invalidation)
    out.push('', `invalidated at step ${op.invalidation.stepIndex + 1}: ${op.invalidation.reason}`);
  for (const v of op.policyViolations ?? [])
    out.push(`refused by policy (${v.rule}): ${v.message}`);
  if (op.failure) out.push('', `failed: ${op.failure.message} [${op.failure.code}]`);
  return out.join('\n');
}

/** A table of operations in at most 100 columns. */
export function formatTable(rows: Projection[]): string {
  if (rows.length === 0) return 'no operations';
  const header = ['ID', 'STATUS', 'NAMESPACE', 'REQUESTER', 'AGE', 'REQUEST'];
  const cells = rows.map((r) => [
    String(r.id).slice(0, 12),
    String(r.status ?? ''),
    String(r.namespace ?? '-'),
    String(r.requester ?? ''),
    age(r.createdAt ?? r.requestedAt),
    String(r.request ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  widths[3] = Math.min(widths[3]!, 18);
  const fixed = widths.slice(0, 5).reduce((a, b) => a + b + 2, 0);
  widths[5] = Math.max(10, WIDTH - fixed);
  const line = (c: string[]) =>
    c
      .map((v, i) =>
        v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

export function age(iso: unknown): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '-';
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
