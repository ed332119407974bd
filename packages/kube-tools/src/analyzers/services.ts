import { quote, quoteJson } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { editDistance, isPodStarting, matchesSelector } from './helpers.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding, Remediation } from './types.ts';
import { objectOf } from './types.ts';

function workloads(s: Snapshot): KubeObject[] {
  return [...s.deployments, ...s.statefulSets, ...s.daemonSets];
}

/**
 * The workload a selector most likely meant: one whose pods carry a label value the
 * selector names (a renamed key, as in `app` → `app.kubernetes.io/name`) or a near
 * value (a typo), preferring a workload named like the Service. The proposal is that
 * workload's own pod selector, so it matches exactly its pods.
 */
function selectorCandidates(
  s: Snapshot,
  svc: KubeObject,
  selector: Record<string, string>,
): Remediation[] {
  const wanted = Object.values(selector);
  const scored = workloads(s)
    .map((w) => {
      const labels = (w.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
      const values = Object.values(labels);
      if (!values.length) return undefined;
      const valueDistance = Math.min(
        ...wanted.flatMap((v) => values.map((l) => editDistance(v, l))),
      );
      if (valueDistance > 2) return undefined;
      return {
        w,
        next: labels,
        score: valueDistance + editDistance(w.metadata.name, svc.metadata.name) / 4,
      };
    })
    .filter(
      (x): x is { w: KubeObject; next: Record<string, string>; score: number } => x !== undefined,
    )
    .sort((a, b) => a.score - b.score);
  const best = scored[0];
  if (!best || (scored[1] && scored[1].score - best.score < 1)) return [];
  return [
    {
      action: 'PatchServiceSelector',
      args: { namespace: s.namespace, name: svc.metadata.name, selector: best.next },
      confidence: 0.75,
      reasoning: `${best.w.kind} ${best.w.metadata.name} selects its pods with ${JSON.stringify(best.next)}, the closest match to the Service's selector ${JSON.stringify(selector)}`,
    },
  ];
}

type SvcPort = { name?: string; port: number; targetPort?: number | string; protocol?: string };
type CPort = { containerPort: number; name?: string; protocol?: string };

export const serviceAnalyzer: Analyzer = {
  name: 'service',
  codes: ['SERVICE_SELECTOR_NO_MATCH', 'SERVICE_TARGETPORT_MISMATCH', 'SERVICE_NO_READY_ENDPOINTS'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const svc of s.services) {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName')
        continue;
      const pods = s.pods.filter(
        (p) => matchesSelector(p.metadata.labels, selector) && !p.metadata.deletionTimestamp,
      );
      const endpoints = s.endpoints.find((e) => e.metadata.name === svc.metadata.name);
      const ready = (endpoints?.subsets ?? []).reduce(
        (n: number, x: { addresses?: unknown[] }) => n + (x.addresses?.length ?? 0),
        0,
      );
      const owners = workloads(s).filter((w) =>
        matchesSelector(w.spec?.template?.metadata?.labels, selector),
      );
      if (pods.length === 0 && owners.length > 0) {
        // The selector is right: it matches a workload's pod template, whose pods do not
        // exist (yet, or at 0 replicas). Why they do not is that workload's own finding.
        findings.push({
          code: 'SERVICE_NO_READY_ENDPOINTS',
          severity: 'info',
          object: objectOf(svc, 'Service'),
          evidence: owners
            .slice(0, 3)
            .map(
              (w) =>
                `selector ${quoteJson(selector)} matches the pod template of ${w.kind} ${w.metadata.name} (replicas: ${String(w.spec?.replicas ?? 'n/a')}), which has no pods now`,
            ),
          explanation: `Service ${svc.metadata.name} selects the pods of ${owners.map((w) => `${w.kind} ${w.metadata.name}`).join(', ')}, none of which exists right now; it has endpoints once they run.`,
          remediations: [],
        });
        continue;
      }
      if (pods.length === 0) {
        const fixes = selectorCandidates(s, svc, selector);
        findings.push({
          code: 'SERVICE_SELECTOR_NO_MATCH',
          severity: 'critical',
          object: objectOf(svc, 'Service'),
          evidence: [
            `selector: ${quoteJson(selector)}`,
            `0 of ${s.pods.length} pods in ${s.namespace} match`,
            `ready endpoints: ${ready}`,
          ],
          explanation: `Service ${svc.metadata.name} selects no pods, so it has no endpoints and every connection to it fails.`,
          remediations: fixes,
          ...(fixes.length
            ? {}
            : {
                humanAction:
                  'Say which pods this Service should route to; no workload in the namespace matches closely enough to propose a selector.',
              }),
        });
        continue;
      }
      const containers = pods.flatMap((p) => (p.spec?.containers ?? []) as { ports?: CPort[] }[]);
      const declared = containers.flatMap((c) => c.ports ?? []);
      const distinct = [...new Map(declared.map((p) => [p.containerPort, p])).values()];
      let portProblem = false;
      for (const port of (svc.spec?.ports ?? []) as SvcPort[]) {
        const target = port.targetPort ?? port.port;
        const ok =
          typeof target === 'number'
            ? declared.some((p) => p.containerPort === target)
            : declared.some((p) => p.name === target);
        if (ok || declared.length === 0) continue;
        portProblem = true;
        const fix: Remediation[] =
          distinct.length === 1
            ? [
                {
                  action: 'PatchServicePort',
                  args: {
                    namespace: s.namespace,
                    name: svc.metadata.name,
                    port: port.port,
                    targetPort: distinct[0]!.containerPort,
                  },
                  confidence: 0.75,
                  reasoning: `the selected pods listen on ${distinct[0]!.containerPort}${distinct[0]!.name ? ` (${distinct[0]!.name})` : ''}; the Service forwards to ${String(target)}`,
                },
              ]
            : [];
        findings.push({
          code: 'SERVICE_TARGETPORT_MISMATCH',
          severity: 'critical',
          object: objectOf(svc, 'Service'),
          evidence: [
            `port ${port.port} → targetPort ${quote(String(target))}`,
            `container ports of selected pods: ${quoteJson(distinct)}`,
            `${pods.length} pod(s) selected, ${ready} ready endpoint(s)`,
          ],
          explanation: `Service ${svc.metadata.name} forwards port ${port.port} to ${String(target)}, which its pods do not expose, so connections are refused.`,
          remediations: fix,
          ...(fix.length
            ? {}
            : {
                humanAction:
                  'Say which container port this Service port should reach; the pods expose several.',
              }),
        });
      }
      if (!portProblem && ready === 0) {
        // Pods that are only starting (just created, no restart, no warning) will be
        // endpoints in a moment: that is not a fault of the Service, only its state now.
        const starting = pods.every((p) => isPodStarting(s, p));
        findings.push({
          code: 'SERVICE_NO_READY_ENDPOINTS',
          severity: starting ? 'info' : 'warning',
          object: objectOf(svc, 'Service'),
          evidence: [
            `${pods.length} pod(s) selected, none ready: ${pods
              .slice(0, 4)
              .map((p) => `${p.metadata.name} (${String(p.status?.phase)})`)
              .join(', ')}`,
          ],
          explanation: starting
            ? `Service ${svc.metadata.name} selects pods that are still starting (no restart, no warning yet); it has endpoints once they are ready.`
            : `Service ${svc.metadata.name} selects pods but none is ready; the pods' own findings say why.`,
          remediations: [],
        });
      }
    }
    return findings;
  },
};

export const ingressAnalyzer: Analyzer = {
  name: 'ingress',
  codes: ['INGRESS_CLASS_MISSING', 'INGRESS_BACKEND_MISSING', 'INGRESS_BACKEND_PORT_MISSING'],
  analyze(s) {
    const findings: Finding[] = [];
    const defaultClass = s.ingressClasses.find(
      (c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
    );
    for (const ing of s.ingresses) {
      const className =
        ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (
        className ? !s.ingressClasses.some((c) => c.metadata.name === className) : !defaultClass
      ) {
        findings.push({
          code: 'INGRESS_CLASS_MISSING',
          severity: 'warning',
          object: objectOf(ing, 'Ingress'),
          evidence: [
            `ingressClassName: ${quote(String(className ?? '(none)'))}`,
            `IngressClasses: ${s.ingressClasses.map((c) => c.metadata.name).join(', ') || '(none)'}`,
          ],
          explanation: className
            ? `No IngressClass "${className}" exists, so no controller serves this Ingress.`
            : 'The Ingress names no class and there is no default IngressClass, so no controller serves it.',
          remediations: [],
          humanAction: 'Pick the ingress controller (IngressClass) that should serve this Ingress.',
        });
      }
      const backends = [
        ...(ing.spec?.defaultBackend?.service ? [ing.spec.defaultBackend.service] : []),
        ...(ing.spec?.rules ?? []).flatMap(
          (r: { http?: { paths?: { backend?: { service?: unknown } }[] } }) =>
            (r.http?.paths ?? []).map((p) => p.backend?.service).filter(Boolean),
        ),
      ] as { name: string; port?: { number?: number; name?: string } }[];
      for (const b of backends) {
        const svc = s.services.find((x) => x.metadata.name === b.name);
        if (!svc) {
          findings.push({
            code: 'INGRESS_BACKEND_MISSING',
            severity: 'critical',
            object: objectOf(ing, 'Ingress'),
            evidence: [
              `backend service ${quote(b.name)} does not exist in ${s.namespace}`,
              `services: ${s.services
                .map((x) => x.metadata.name)
                .slice(0, 10)
                .join(', ')}`,
            ],
            explanation: `The Ingress routes to Service ${b.name}, which does not exist, so those requests fail.`,
            remediations: [],
            humanAction: `Create Service ${b.name} or point the Ingress at the right one.`,
          });
          continue;
        }
        const ports = (svc.spec?.ports ?? []) as SvcPort[];
        const ok =
          b.port === undefined ||
          ports.some(
            (p) =>
              p.port === b.port?.number || (b.port?.name !== undefined && p.name === b.port.name),
          );
        if (!ok) {
          findings.push({
            code: 'INGRESS_BACKEND_PORT_MISSING',
            severity: 'critical',
            object: objectOf(ing, 'Ingress'),
            evidence: [
              `backend ${quote(`${b.name}:${b.port?.number ?? b.port?.name}`)}`,
              `service ports: ${quoteJson(ports.map((p) => p.name ?? p.port))}`,
            ],
            explanation: `The Ingress routes to a port Service ${b.name} does not have.`,
            remediations: [],
            humanAction: 'Point the Ingress backend at one of the Service ports.',
          });
        }
      }
    }
    return findings;
  },
};
