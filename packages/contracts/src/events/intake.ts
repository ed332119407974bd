import { z } from 'zod';
import { defineEvent } from '../registry.ts';
import { DnsLabel, ObjectRef } from '../kube-names.ts';
import { Principal, text } from './common.ts';

/** Events of the first phases: the request, the context gathered, the diagnosis. */

export const OperationRequested = defineEvent(
  'OperationRequested',
  z.object({
    /** What the engineer asked, verbatim. */
    request: text(4000),
    /** The namespace the request is about, when the user named one. */
    namespace: DnsLabel.optional(),
    requestedBy: Principal,
    /** Teams the requester acts for; approvals must come from teams owning the namespaces touched. */
    teams: z.array(z.string().min(1).max(128)).max(50).optional(),
    /**
     * The namespaces the requester's teams own (names or globs such as "shop-*"), resolved by
     * the gateway from its users file. The planner's policy refuses any step outside them.
     * Absent on events written before it existed: the planner then refuses every step.
     */
    scope: z.object({ namespaces: z.array(z.string().min(1).max(253)).max(200) }).optional(),
    cluster: z.object({ id: z.string().min(1).max(128) }),
    /** The model that will plan; absent means `--llm none` (analyzers and intent parser only). */
    llm: z
      .object({
        provider: z.enum(['ollama', 'openai-compatible']),
        model: text(256),
      })
      .optional(),
  }),
);

export const ContextGathered = defineEvent(
  'ContextGathered',
  z.object({
    /** What the planner looked at, in a few lines (not the raw tool output). */
    summary: text(8000),
    toolCalls: z.number().int().min(0).max(10_000),
    /** True when the token budget cut the context short. */
    truncated: z.boolean(),
    /**
     * The model that planned, when one was configured (absent: `--llm none`, and events
     * written before the model layer). Counts only: never a prompt, a reply or a key.
     */
    model: z
      .object({
        provider: z.enum(['ollama', 'openai-compatible']),
        name: text(256),
        /** Chat requests made (each a round trip to the model). */
        calls: z.number().int().min(0).max(1000),
        /** Prompt tokens over all calls: the provider's count where it gives one, else an estimate. */
        promptTokens: z.number().int().min(0).max(100_000_000),
        /** The largest single prompt, the figure the token budget bounds. */
        maxPromptTokens: z.number().int().min(0).max(100_000_000),
        completionTokens: z.number().int().min(0).max(100_000_000),
        /** Read tools the model called. */
        toolCalls: z.number().int().min(0).max(1000),
        /** Invalid replies sent back to the model with the validation error. */
        repairs: z.number().int().min(0).max(100),
        /** Set when the model could not be reached and the planner planned without it. */
        fallback: text(1000).optional(),
      })
      .optional(),
  }),
);

/**
 * How bad a finding is, in the three levels operators know from Prometheus/Alertmanager:
 * critical = something is broken now (a workload down, a pod that cannot start, traffic
 * dropped); warning = degraded or about to break; info = worth knowing, nothing to fix.
 */
export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** Size caps of a finding, exported so producers can fit their text before they emit it. */
export const FINDING_LIMITS = { explanation: 2000, evidenceItems: 20, evidenceText: 1000 } as const;

export const Finding = z.object({
  /** Analyzer code, e.g. "ImagePullBackOff" or "ServiceSelectorMismatch". */
  code: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{1,63}$/),
  severity: Severity,
  object: ObjectRef,
  explanation: text(FINDING_LIMITS.explanation),
  /** Quoted, redacted snippets of cluster data backing the finding. */
  evidence: z.array(text(FINDING_LIMITS.evidenceText)).max(FINDING_LIMITS.evidenceItems),
});
export type Finding = z.infer<typeof Finding>;

export const DiagnosisRecorded = defineEvent(
  'DiagnosisRecorded',
  z.object({ findings: z.array(Finding).max(100) }),
);
