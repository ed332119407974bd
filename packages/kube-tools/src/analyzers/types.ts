import { FINDING_LIMITS } from '@opsloop/contracts';
import type { Finding as FindingPayload, ObjectRef, Severity } from '@opsloop/contracts';
import type { KubeObject } from '../types.ts';
import type { Snapshot } from './snapshot.ts';

export { SEVERITY_RANK } from '@opsloop/contracts';
export type { Severity };

export interface Remediation {
  /** A name from ACTIONS; args validate against that action's schema. */
  action: string;
  args: Record<string, unknown>;
  confidence: number;
  reasoning: string;
  /**
   * Steps that must follow in the same plan for this fix to take effect, planned and
   * applied in order after it (e.g. deleting a StatefulSet pod its controller will not
   * replace while it is unhealthy). Their args validate like the remediation's own.
   */
  followUps?: { action: string; args: Record<string, unknown>; reasoning: string }[];
}

/** contracts' ObjectRef plus the apiVersion, which diagnose prints and actions need. */
export interface FindingObject extends ObjectRef {
  apiVersion: string;
}

/**
 * An analyzer's finding: contracts' `Finding` (the `DiagnosisRecorded` payload item) plus
 * what only the planner and `opsloop diagnose` use: the object's apiVersion, candidate
 * typed fixes and what a person must do. `toFindingPayload` is the one conversion to the
 * event shape.
 */
export interface Finding extends FindingPayload {
  severity: Severity;
  object: FindingObject;
  /** Exact field values and quoted (redacted) excerpts of events and logs. */
  evidence: string[];
  explanation: string;
  remediations: Remediation[];
  /** What a person must decide or provide when no safe fix can be proposed. */
  humanAction?: string;
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The finding as contracts' `Finding` (for `DiagnosisRecorded`): object without apiVersion,
 * what a person must do appended to the explanation (the event has no other place for it),
 * text fitted to the event's caps. Remediations are not part of the diagnosis record; the
 * plan built from them is.
 */
export function toFindingPayload(f: Finding): FindingPayload {
  const explanation = f.humanAction
    ? `${f.explanation} Needs a person: ${f.humanAction}`
    : f.explanation;
  return {
    code: f.code,
    severity: f.severity,
    object: { kind: f.object.kind, namespace: f.object.namespace, name: f.object.name },
    evidence: f.evidence
      .filter((e) => e.length > 0)
      .slice(0, FINDING_LIMITS.evidenceItems)
      .map((e) => cap(e, FINDING_LIMITS.evidenceText)),
    explanation: cap(explanation, FINDING_LIMITS.explanation),
  };
}

export interface Analyzer {
  name: string;
  /** Which failure classes it covers, for the docs and the coverage test. */
  codes: readonly string[];
  analyze(snapshot: Snapshot): Finding[];
}

export function objectOf(obj: KubeObject, fallbackKind?: string): FindingObject {
  return {
    apiVersion: obj.apiVersion ?? 'v1',
    kind: obj.kind ?? fallbackKind ?? 'Unknown',
    namespace: obj.metadata.namespace ?? null,
    name: obj.metadata.name,
  };
}
