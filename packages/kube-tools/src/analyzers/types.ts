import { z } from 'zod';
import type { KubeObject } from '../types.ts';
import type { Snapshot } from './snapshot.ts';

export const Severity = z.enum(['info', 'warning', 'error', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = {
  info: 0,
  warning: 1,
  error: 2,
  critical: 3,
};

export interface Remediation {
  /** A name from ACTIONS; args validate against that action's schema. */
  action: string;
  args: Record<string, unknown>;
  confidence: number;
  reasoning: string;
}

export interface FindingObject {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  object: FindingObject;
  /** Exact field values and quoted (redacted) excerpts of events and logs. */
  evidence: string[];
  explanation: string;
  remediations: Remediation[];
  /** What a person must decide or provide when no safe fix can be proposed. */
  humanAction?: string;
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
