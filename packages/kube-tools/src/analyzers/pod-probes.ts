import { quote, quoteJson } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import {
  conditionOf,
  containerArgs,
  eventEvidence,
  eventTime,
  eventsFor,
  groupByOwner,
  isWorkloadKind,
  previousRevision,
  topOwner,
  isPodReady,
} from './helpers.ts';
import { execProbeFixes, missingProbeProgram } from './probe-exec.ts';
import { slowStartFixes } from './probe-slow-start.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

type Probe = {
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  grpc?: { port?: number };
};
type Container = {
  name: string;
  ports?: { containerPort: number; name?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
};

// The kubelet says "errored" when it could not run the probe at all (an exec it cannot start).
const KINDS = [
  { probe: 'liveness', field: 'livenessProbe', pattern: /liveness probe (failed|errored)/i },
  { probe: 'readiness', field: 'readinessProbe', pattern: /readiness probe (failed|errored)/i },
  { probe: 'startup', field: 'startupProbe', pattern: /startup probe (failed|errored)/i },
] as const;

function probePort(probe: Probe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

function containerFromEvent(
  pod: KubeObject,
  event: KubeObject,
  field: string,
): Container | undefined {
  const containers = (pod.spec?.containers ?? []) as Container[];
  const m = /\{(.+)\}/.exec(String(event.involvedObject?.fieldPath ?? ''));
  return (
    containers.find((c) => c.name === m?.[1]) ??
    containers.find((c) => (c as Record<string, unknown>)[field] !== undefined)
  );
}

function portFix(
  owner: KubeObject,
  c: Container,
  probe: string,
  port: number | string,
): Remediation[] {
  const ports = c.ports ?? [];
  const declared = ports.some(
    (p) => p.containerPort === port || (p.name !== undefined && p.name === port),
  );
  if (declared || ports.length === 0) return [];
  const chosen =
    ports.length === 1 ? ports[0]! : ports.find((p) => /^(http|web|health)/.test(p.name ?? ''));
  if (!chosen) return [];
  return [
    {
      action: 'SetProbe',
      args: { ...containerArgs(owner, c.name), probe, port: chosen.containerPort },
      confidence: 0.8,
      reasoning: `the ${probe} probe targets port ${port}, which container ${c.name} does not declare; it listens on ${chosen.containerPort}`,
    },
  ];
}

function pathFix(
  s: Snapshot,
  owner: KubeObject,
  c: Container,
  probe: string,
  field: string,
  failingProbes: Set<string>,
  path: string,
): Remediation[] {
  const fixes: Remediation[] = [];
  const probe0 = (c as Record<string, unknown>)[field] as Probe;
  for (const other of KINDS) {
    const p = (c as Record<string, unknown>)[other.field] as Probe | undefined;
    if (other.field === field || !p?.httpGet?.path || failingProbes.has(other.probe)) continue;
    if (p.httpGet.path !== path && String(probePort(p)) === String(probePort(probe0))) {
      fixes.push({
        action: 'SetProbe',
        args: { ...containerArgs(owner, c.name), probe, path: p.httpGet.path },
        confidence: 0.65,
        reasoning: `the ${other.probe} probe of the same container succeeds on ${p.httpGet.path} (same port), while ${path} answers 404`,
      });
      break;
    }
  }
  if (owner.kind === 'Deployment') {
    const previous = previousRevision(s, owner);
    const old = previous?.rs.spec?.template?.spec?.containers?.find(
      (x: Container) => x.name === c.name,
    )?.[field] as Probe | undefined;
    if (old?.httpGet?.path && old.httpGet.path !== path) {
      fixes.push({
        action: 'SetProbe',
        args: { ...containerArgs(owner, c.name), probe, path: old.httpGet.path },
        confidence: 0.6,
        reasoning: `revision ${previous!.revision} probed ${old.httpGet.path}`,
      });
    }
  }
  if (!fixes.length) fixes.push(...siblingPathFix(s, owner, c, probe, field, path));
  // The port answers HTTP (a 404, not a refused connection), so a server is up and only the
  // path is wrong. With no path shown anywhere in the cluster, "/" is the conservative
  // choice: the one path every HTTP server routes. Low confidence; verification tells.
  if (!fixes.length && path !== '/' && probe0.httpGet) {
    fixes.push({
      action: 'SetProbe',
      args: { ...containerArgs(owner, c.name), probe, path: '/' },
      confidence: 0.4,
      reasoning: `port ${String(probePort(probe0))} answers ${path} with HTTP 404, so the server runs and only the path is unknown; no other probe, earlier revision or workload of the same image shows one that works, so this probes "/", which every HTTP server routes. If "/" answers an error too, a person must name the health path`,
    });
  }
  return fixes;
}

function repository(image: string): string {
  const name = image.split('@')[0]!;
  return name.lastIndexOf(':') > name.lastIndexOf('/')
    ? name.slice(0, name.lastIndexOf(':'))
    : name;
}

/**
 * Another workload of the namespace running the same image repository whose probe of the
 * same kind passes (its pods report no failure of it): its HTTP path, if it differs.
 */
function siblingPathFix(
  s: Snapshot,
  owner: KubeObject,
  c: Container & { image?: string },
  probe: string,
  field: string,
  path: string,
): Remediation[] {
  if (!c.image) return [];
  for (const pod of s.pods) {
    const top = topOwner(s, pod);
    if (top.metadata.uid === owner.metadata.uid || !isPodReady(pod)) continue;
    const failing = eventsFor(s, 'Pod', pod).some(
      (e) => e.reason === 'Unhealthy' && new RegExp(`^${probe} probe`, 'i').test(String(e.message)),
    );
    if (failing) continue;
    for (const other of (pod.spec?.containers ?? []) as (Container & { image?: string })[]) {
      const p = (other as Record<string, unknown>)[field] as Probe | undefined;
      const otherPath = p?.httpGet?.path;
      if (!other.image || repository(other.image) !== repository(c.image)) continue;
      if (!otherPath || otherPath === path) continue;
      return [
        {
          action: 'SetProbe',
          args: { ...containerArgs(owner, c.name), probe, path: otherPath },
          confidence: 0.55,
          reasoning: `${top.kind} ${top.metadata.name} runs the same image (${repository(c.image)}) and its ${probe} probe passes on ${otherPath}, while ${path} answers 404 here`,
        },
      ];
    }
  }
  return [];
}

function topOwnerIs(s: Snapshot, pod: KubeObject, owner: KubeObject): boolean {
  return topOwner(s, pod).metadata.uid === owner.metadata.uid;
}

export const probeAnalyzer: Analyzer = {
  name: 'pod-probes',
  codes: [
    'PROBE_WRONG_PORT',
    'PROBE_WRONG_PATH',
    'PROBE_PROGRAM_MISSING',
    'PROBE_KILLS_SLOW_START',
    'PROBE_FAILING',
  ],
  analyze(s) {
    const hits: { pod: KubeObject; event: KubeObject; kind: (typeof KINDS)[number] }[] = [];
    for (const pod of s.pods) {
      // A pod Ready now, never restarted, whose probe last failed before it became Ready
      // failed while it was starting (a database still opening its port): that is history,
      // not a fault. A failure after the transition is current (it takes failureThreshold
      // periods to act), and a restarted container may have been killed by the probe.
      const restarted = (pod.status?.containerStatuses ?? []).some(
        (c: { restartCount?: number }) => (c.restartCount ?? 0) > 0,
      );
      const readySince =
        isPodReady(pod) && !restarted
          ? Date.parse(String(conditionOf(pod, 'Ready')?.lastTransitionTime ?? ''))
          : Number.NaN;
      const events = eventsFor(s, 'Pod', pod).filter(
        (e) => e.reason === 'Unhealthy' && !(eventTime(e) <= readySince),
      );
      for (const kind of KINDS) {
        const event = events.find((e) => kind.pattern.test(String(e.message ?? '')));
        if (event) hits.push({ pod, event, kind });
      }
    }
    const findings: Finding[] = [];
    for (const [owner, group] of groupByOwner(s, hits)) {
      const failing = new Set(group.map((g) => g.kind.probe));
      for (const kind of KINDS) {
        const hit = group.find((g) => g.kind === kind);
        if (!hit) continue;
        const c = containerFromEvent(hit.pod, hit.event, kind.field);
        const probe = c
          ? ((c as Record<string, unknown>)[kind.field] as Probe | undefined)
          : undefined;
        if (!c || !probe) continue;
        const port = probePort(probe);
        const message = String(hit.event.message ?? '');
        const evidence = [
          `container ${c.name} ${kind.field}: ${quoteJson(probe)}`,
          `container ports: ${quoteJson(c.ports ?? [])}`,
          eventEvidence(hit.event),
          `${group.filter((g) => g.kind === kind).length} pod(s) report it`,
        ];
        const canFix = isWorkloadKind(owner.kind);
        const portFixes = canFix && port !== undefined ? portFix(owner, c, kind.probe, port) : [];
        // A readiness probe that fails on every pod takes the workload out of service.
        const noneReady = !s.pods.some((p) => topOwnerIs(s, p, owner) && isPodReady(p));
        const severity = kind.probe === 'readiness' && !noneReady ? 'warning' : 'critical';
        const effect =
          kind.probe === 'readiness'
            ? 'the pods never become Ready, so Services send them no traffic'
            : 'the kubelet keeps restarting the container';
        if (portFixes.length) {
          findings.push({
            code: 'PROBE_WRONG_PORT',
            severity,
            object: objectOf(owner),
            evidence,
            remediations: portFixes,
            explanation: `The ${kind.probe} probe of ${c.name} checks port ${String(port)}, where nothing listens; ${effect}.`,
          });
          continue;
        }
        const program = missingProbeProgram(probe.exec, message);
        if (program) {
          const fixes = canFix
            ? execProbeFixes(owner, c, kind.probe, probe.exec?.command ?? [], program)
            : [];
          findings.push({
            code: 'PROBE_PROGRAM_MISSING',
            severity,
            object: objectOf(owner),
            evidence,
            remediations: fixes,
            explanation: `The ${kind.probe} probe of ${c.name} runs ${program}, which its image does not contain, so the probe fails however the application is doing; ${effect}.`,
            ...(fixes.length
              ? {}
              : {
                  humanAction: `Replace the exec ${kind.probe} probe of ${c.name} with one the image can run (an httpGet or tcpSocket check on the port it serves).`,
                }),
          });
          continue;
        }
        const slow =
          canFix && kind.probe === 'liveness'
            ? slowStartFixes(owner, hit.pod, c, probe, message)
            : [];
        if (slow.length) {
          findings.push({
            code: 'PROBE_KILLS_SLOW_START',
            severity: 'critical',
            object: objectOf(owner),
            evidence,
            remediations: slow,
            explanation: `The liveness probe of ${c.name} kills it before it has started: it never listened or became Ready before the probe's window ran out, and every restart begins the start again.`,
          });
          continue;
        }
        const path = probe.httpGet?.path;
        if (path && /status ?code:? ?404|404/i.test(message)) {
          const fixes = canFix ? pathFix(s, owner, c, kind.probe, kind.field, failing, path) : [];
          findings.push({
            code: 'PROBE_WRONG_PATH',
            severity,
            object: objectOf(owner),
            evidence,
            remediations: fixes,
            explanation: `The ${kind.probe} probe of ${c.name} requests ${path}, which the application answers with 404; ${effect}.`,
            ...(fixes.length
              ? {}
              : {
                  humanAction: `Give the health-check path container ${c.name} serves; nothing in the cluster shows it.`,
                }),
          });
          continue;
        }
        findings.push({
          code: 'PROBE_FAILING',
          severity,
          object: objectOf(owner),
          evidence,
          remediations: [],
          explanation: `The ${kind.probe} probe of ${c.name} fails (${quote(message, 120)}); ${effect}.`,
          humanAction: `Check why container ${c.name} does not answer its ${kind.probe} probe (slow start, wrong settings, or an application fault).`,
        });
      }
    }
    return withOtherProbes(findings);
  },
};

/**
 * Two probes of one container that both miss (liveness and readiness on a path that
 * answers 404) are one step: a plan takes one step per object, and fixing one probe leaves
 * the pod failing on the other. So each SetProbe fix also carries (`also`) the best fix
 * of the container's other failing probes, and its confidence is the lower of them.
 */
export function withOtherProbes(findings: Finding[]): Finding[] {
  const setProbe = (f: Finding) => f.remediations.filter((r) => r.action === 'SetProbe');
  const container = (r: Remediation) =>
    `${String(r.args.kind)}/${String(r.args.name)}/${String(r.args.container)}`;
  const best = new Map<string, Map<string, Remediation>>();
  for (const r of findings.flatMap(setProbe)) {
    const byProbe = best.get(container(r)) ?? new Map<string, Remediation>();
    const current = byProbe.get(String(r.args.probe));
    if (!current || r.confidence > current.confidence) byProbe.set(String(r.args.probe), r);
    best.set(container(r), byProbe);
  }
  for (const f of findings) {
    f.remediations = f.remediations.map((r) => {
      if (r.action !== 'SetProbe') return r;
      const others = [...(best.get(container(r)) ?? new Map()).values()].filter(
        (o) => o.args.probe !== r.args.probe,
      );
      if (!others.length) return r;
      const also = others.map((o) => {
        const { namespace: _n, kind: _k, name: _name, container: _c, also: _a, ...fields } = o.args;
        return fields;
      });
      return {
        ...r,
        args: { ...r.args, also },
        confidence: Math.min(r.confidence, ...others.map((o) => o.confidence)),
        reasoning: [
          r.reasoning,
          ...others.map((o) => `${String(o.args.probe)} probe: ${o.reasoning}`),
        ].join('; '),
      };
    });
  }
  return findings;
}
