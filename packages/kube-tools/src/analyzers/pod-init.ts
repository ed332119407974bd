import { quote, quoteJson } from '../redact.ts';
import {
  containerArgs,
  containerStates,
  editDistance,
  groupByOwner,
  isWorkloadKind,
  logEvidence,
} from './helpers.ts';
import type { ContainerState } from './helpers.ts';
import { configuredHostHint } from './config-host.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

const STUCK_AFTER_MS = 60_000;

const FAILURE =
  /(can't find|cannot find|not found|nxdomain|timed? ?out|refused|unreachable|waiting for|no such host)/i;

function repeatsFailure(s: Snapshot, c: ContainerState): boolean {
  const log = s.logs[`${c.pod.metadata.name}/${c.name}`] ?? '';
  return log.split('\n').filter((line) => FAILURE.test(line)).length >= 2;
}

/** Host-like words of the init container's command that are near, but not equal to, a Service name. */
function mistypedHosts(s: Snapshot, c: ContainerState): { wrote: string; service: string }[] {
  const text = [...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' ');
  const services = s.services.map((x) => x.metadata.name);
  const words = new Set(text.match(/[a-z0-9]([-a-z0-9]*[a-z0-9])?/g) ?? []);
  const out: { wrote: string; service: string }[] = [];
  for (const word of words) {
    if (services.includes(word) || word.length < 4) continue;
    const near = services.filter((name) => editDistance(name, word) <= 2);
    if (near.length === 1) out.push({ wrote: word, service: near[0]! });
  }
  return out;
}

/**
 * Init containers that keep running (a wait loop that never ends) hold the pod in
 * Init:0/N without any Warning event; only their log and command show why.
 */
export const initWaitAnalyzer: Analyzer = {
  name: 'pod-init-wait',
  codes: ['INIT_CONTAINER_STUCK'],
  analyze(s) {
    const now = Date.parse(s.takenAt);
    const items = s.pods
      .filter((p) => p.status?.phase === 'Pending')
      .flatMap((p) => containerStates(p).filter((c) => c.init && c.status.state?.running))
      // Stuck: running for a while, or its log already repeats a failure (no progress).
      .filter(
        (c) =>
          now - Date.parse(String(c.status.state.running.startedAt ?? s.takenAt)) >=
            STUCK_AFTER_MS || repeatsFailure(s, c),
      );
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, items)) {
      const c = group[0]!;
      const hosts = mistypedHosts(s, c);
      const log = s.logs[`${c.pod.metadata.name}/${c.name}`] ?? '';
      // One misspelt name, in a workload's template: correct it to the Service that exists.
      const configured = hosts.length
        ? undefined
        : configuredHostHint(s, c, `${owner.kind} ${owner.metadata.name}`);
      const fixes: Remediation[] =
        hosts.length === 1 && isWorkloadKind(owner.kind)
          ? [
              {
                action: 'ReplaceServiceHost',
                args: {
                  ...containerArgs(owner, c.name),
                  from: hosts[0]!.wrote,
                  to: hosts[0]!.service,
                },
                confidence: log.includes(hosts[0]!.wrote) ? 0.7 : 0.6,
                reasoning:
                  `init container ${c.name} waits for "${hosts[0]!.wrote}", which no Service in ${s.namespace} is called; Service "${hosts[0]!.service}" exists, ${editDistance(hosts[0]!.wrote, hosts[0]!.service)} edit(s) away` +
                  (log.includes(hosts[0]!.wrote)
                    ? `, and its log repeats failing lookups of "${hosts[0]!.wrote}"`
                    : '') +
                  `. Only that name in the command's arguments changes (the init container stays, the program is untouched); if it meant another service, reject this plan.`,
              },
            ]
          : [];
      findings.push({
        code: 'INIT_CONTAINER_STUCK',
        severity: 'critical',
        object: objectOf(owner),
        evidence: [
          `${group.length} pod(s) stuck initialising; init container ${c.name} running since ${String(c.status.state.running.startedAt)}`,
          `command: ${quoteJson([...(c.spec.command ?? []), ...(c.spec.args ?? [])])}`,
          ...hosts.map(
            (h) =>
              `the command names ${quote(h.wrote)}; no Service has that name, Service ${quote(h.service)} exists`,
          ),
          ...logEvidence(s, c.pod.metadata.name, c.name),
        ],
        explanation: `Init container ${c.name} never finishes, so the pod's main containers never start${configured ? `: ${configured.cause}` : ''}.`,
        remediations: fixes,
        ...(fixes.length
          ? {}
          : {
              humanAction: hosts.length
                ? `Correct ${hosts.map((h) => `"${h.wrote}" to "${h.service}"`).join(', ')} in the command of init container ${c.name} of ${owner.kind} ${owner.metadata.name}.`
                : (configured?.humanAction ??
                  `Find what init container ${c.name} waits for (its log tail) and make it available, or fix its command.`),
            }),
      });
    }
    return findings;
  },
};
