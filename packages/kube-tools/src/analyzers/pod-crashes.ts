import { quote, quoteJson } from '../redact.ts';
import { parseQuantity } from '../validation.ts';
import type { KubeObject } from '../types.ts';
import type { ContainerState } from './helpers.ts';
import {
  containerArgs,
  containerLabel,
  containerStates,
  eventEvidence,
  eventsFor,
  groupByOwner,
  isWorkloadKind,
  logEvidence,
  previousRevision,
  rollbackRemediation,
} from './helpers.ts';
import { jobEnvRerun } from './batch.ts';
import { envSource, missingEnvNames } from './env-source.ts';
import { clearOverrideFix, missingProgram } from './missing-program.ts';
import { parseDenials } from './rbac-denials.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

function terminated(c: ContainerState) {
  return c.status.state?.terminated ?? c.status.lastState?.terminated;
}

function crashing(c: ContainerState): boolean {
  const t = terminated(c);
  return (
    c.status.state?.waiting?.reason === 'CrashLoopBackOff' ||
    (t !== undefined &&
      t.exitCode !== 0 &&
      (c.status.restartCount > 0 || c.init || c.status.state?.terminated))
  );
}

/** Restarts a container may have had and still count as recovered once it runs Ready. */
const RECOVERED_RESTARTS = 2;

/**
 * A failure that is over: the pod's Job has since completed (an earlier attempt's Error pod
 * is how Jobs retry), or the container failed at most a couple of times (e.g. at boot, before
 * a dependency was up) and now runs and is Ready. A container that keeps failing shows more
 * restarts, or is not Ready, and stays a finding.
 */
function isHistory(s: Snapshot, c: ContainerState): boolean {
  const job = c.pod.metadata.ownerReferences?.find((o) => o.kind === 'Job');
  const owner = job && s.jobs.find((j) => j.metadata.name === job.name);
  const complete = (owner?.status?.conditions ?? []).some(
    (x: { type: string; status: string }) => x.type === 'Complete' && x.status === 'True',
  );
  if (complete) return true;
  return (
    !c.init &&
    c.status.state?.running !== undefined &&
    c.status.ready === true &&
    (c.status.restartCount ?? 0) <= RECOVERED_RESTARTS
  );
}

const NOT_IN_IMAGE =
  /(executable file not found|no such file or directory|not found in \$PATH|exec: |command not found)/i;

function undo(s: Snapshot, owner: KubeObject, why: string, confidence: number): Remediation[] {
  if (owner.kind !== 'Deployment') return [];
  const previous = previousRevision(s, owner);
  if (!previous) return [];
  return [
    rollbackRemediation(
      owner,
      previous.revision,
      confidence,
      `revision ${previous.revision} ${why}`,
    ),
  ];
}

function envRemediation(
  s: Snapshot,
  owner: KubeObject,
  c: ContainerState,
  name: string,
): Remediation | undefined {
  if (!isWorkloadKind(owner.kind)) return undefined;
  if ((c.spec.env ?? []).some((e: { name: string }) => e.name === name)) return undefined;
  const found = envSource(s, name);
  if (!found) return undefined;
  const { valueFrom, source } = found;
  return {
    action: 'SetContainerEnv',
    args: { ...containerArgs(owner, c.name), set: [{ name, valueFrom }], remove: [] },
    confidence: 0.7,
    reasoning: `the container exits because ${name} is unset, and ${source} in the same namespace has exactly that key; reference it (no value is copied)`,
  };
}

export const crashAnalyzer: Analyzer = {
  name: 'pod-crash',
  codes: [
    'CONTAINER_COMMAND_NOT_FOUND',
    'CONTAINER_MISSING_ENV',
    'CONTAINER_CRASHLOOP',
    'INIT_CONTAINER_FAILING',
  ],
  analyze(s) {
    // Containers the kubelet kills for a failing liveness probe are the probe analyzer's.
    const probeKilled = (pod: KubeObject) =>
      eventsFor(s, 'Pod', pod).some((e) => /liveness probe/i.test(String(e.message ?? '')));
    const items = s.pods.flatMap((pod) =>
      probeKilled(pod)
        ? []
        : containerStates(pod).filter(
            (c) => crashing(c) && terminated(c)?.reason !== 'OOMKilled' && !isHistory(s, c),
          ),
    );
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, items)) {
      const c = group[0]!;
      const t = terminated(c) ?? {};
      const log = s.logs[`${c.pod.metadata.name}/${c.name}`] ?? '';
      const evidence = [
        `${containerLabel(c)}: ${c.status.state?.waiting?.reason ?? 'terminated'}, exit code ${t.exitCode ?? '?'}, reason ${t.reason ?? '?'}, restarts ${c.status.restartCount ?? 0}`,
        ...(t.message ? [`termination message: ${quote(String(t.message))}`] : []),
        `command: ${quoteJson([...(c.spec.command ?? []), ...(c.spec.args ?? [])])}, image ${quote(String(c.spec.image ?? ''))}`,
        ...eventsFor(s, 'Pod', c.pod)
          .filter((e) => e.type === 'Warning')
          .slice(0, 2)
          .map(eventEvidence),
        ...logEvidence(s, c.pod.metadata.name, c.name),
      ];
      const startError =
        t.reason === 'StartError' ||
        t.reason === 'ContainerCannotRun' ||
        t.exitCode === 127 ||
        t.exitCode === 126;
      const program = startError ? missingProgram(`${t.message ?? ''}\n${log}`) : undefined;
      if (startError && (program || NOT_IN_IMAGE.test(`${t.message ?? ''}\n${log}`))) {
        const fixes = [
          ...undo(s, owner, 'ran a command this image has', 0.75),
          ...(program ? clearOverrideFix(s, owner, c, program) : []),
        ];
        const image = String(c.spec.image ?? '');
        const isJob = owner.kind === 'Job' || owner.kind === 'CronJob';
        findings.push({
          code: 'CONTAINER_COMMAND_NOT_FOUND',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation: program
            ? `${program} is not in image ${image}: the ${c.init ? 'init ' : ''}container ${c.name} is started with a command that runs it (exit code ${t.exitCode ?? '?'}), so it cannot start.`
            : `The ${c.init ? 'init ' : ''}container ${c.name} asks to run a command that does not exist in image ${image}, so it cannot start.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction:
                  isJob && program
                    ? `The command is what this ${owner.kind} runs, so it must stay: run it in an image that contains ${program} (or add ${program} to ${image}). Which image is a person's choice.`
                    : `Correct the command of container ${c.name} (or use an image that contains ${program ?? 'it'}); no earlier revision shows a working command.`,
              }),
        });
        continue;
      }
      // The API server refusing the pod's own ServiceAccount is the cause the rbac
      // analyzer names (with the permission); a generic crash finding would only restate it.
      const account = String(
        c.pod.spec?.serviceAccountName ?? c.pod.spec?.serviceAccount ?? 'default',
      );
      if (
        parseDenials(log).some(
          (d) => d.account.namespace === s.namespace && d.account.name === account,
        )
      )
        continue;
      const missing = missingEnvNames(log);
      if (missing.length) {
        // A Job's template cannot change: the fix re-runs it with the variables (batch.ts).
        const fixes =
          owner.kind === 'Job'
            ? jobEnvRerun(s, owner)
            : missing
                .map((name) => envRemediation(s, owner, c, name))
                .filter((r): r is Remediation => r !== undefined);
        findings.push({
          code: 'CONTAINER_MISSING_ENV',
          severity: 'critical',
          object: objectOf(owner),
          evidence,
          explanation: `Container ${c.name} exits at start because required environment variable(s) ${missing.join(', ')} are not set.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction: `Provide a value for ${missing.join(', ')} (a ConfigMap or Secret key to reference, or a literal value); Opsloop does not guess configuration values.`,
              }),
        });
        continue;
      }
      const fixes = undo(s, owner, 'ran without crashing', 0.5);
      findings.push({
        code: c.init ? 'INIT_CONTAINER_FAILING' : 'CONTAINER_CRASHLOOP',
        severity: 'critical',
        object: objectOf(owner),
        evidence,
        explanation: `${c.init ? 'Init container' : 'Container'} ${c.name} keeps exiting with code ${t.exitCode ?? '?'}${c.init ? ', so the pod never starts its main containers' : ''}; the log tail shows why.`,
        remediations: fixes,
        ...(fixes.length
          ? {}
          : {
              humanAction: `Read the log tail and fix the application or its configuration for container ${c.name}.`,
            }),
      });
    }
    return findings;
  },
};

function roundMi(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024) / 64) * 64}Mi`;
}

export const oomAnalyzer: Analyzer = {
  name: 'pod-oom',
  codes: ['CONTAINER_OOMKILLED'],
  analyze(s) {
    const items = s.pods.flatMap((pod) =>
      containerStates(pod).filter((c) => terminated(c)?.reason === 'OOMKilled'),
    );
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, items)) {
      const c = group[0]!;
      const limit = c.spec.resources?.limits?.memory as string | undefined;
      const remediations: Remediation[] = [];
      if (limit && isWorkloadKind(owner.kind)) {
        const doubled = roundMi(parseQuantity(limit) * 2);
        const request = c.spec.resources?.requests?.memory as string | undefined;
        remediations.push({
          action: 'SetContainerResources',
          args: {
            ...containerArgs(owner, c.name),
            limits: { memory: doubled },
            ...(request && parseQuantity(request) > parseQuantity(doubled)
              ? { requests: { memory: doubled } }
              : {}),
          },
          confidence: 0.6,
          reasoning: `the container is killed at its ${limit} memory limit; doubling to ${doubled} gives it room (check its real usage and whether it leaks)`,
        });
      }
      findings.push({
        code: 'CONTAINER_OOMKILLED',
        severity: 'critical',
        object: objectOf(owner),
        evidence: [
          `container ${c.name}: last terminated reason OOMKilled (exit ${terminated(c)?.exitCode ?? 137}), restarts ${c.status.restartCount ?? 0}`,
          `resources: ${quoteJson(c.spec.resources ?? {})}`,
          ...logEvidence(s, c.pod.metadata.name, c.name),
        ],
        explanation: `Container ${c.name} uses more memory than its limit${limit ? ` (${limit})` : ''} and the kernel kills it.`,
        remediations,
        ...(remediations.length
          ? {}
          : {
              humanAction:
                'Set a memory limit that fits the workload, or find what uses the memory (the node itself ran out).',
            }),
      });
    }
    return findings;
  },
};
