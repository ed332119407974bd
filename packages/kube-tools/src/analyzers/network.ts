import { quote, quoteJson } from '../redact.ts';
import type { KubeObject } from '../types.ts';
import { matchesSelector, topOwner } from './helpers.ts';
import { egressBlock, peerMatchesLocal, portAllowed, selects, types } from './netpol-rules.ts';
import type { Rule } from './netpol-rules.ts';
import type { Snapshot } from './snapshot.ts';
import type { Analyzer, Finding } from './types.ts';
import { objectOf } from './types.ts';

/** Whether client → target on port is allowed by the namespace's ingress policies. */
function ingressAllowed(
  s: Snapshot,
  client: KubeObject,
  target: KubeObject,
  ports: (number | string)[],
): { allowed: boolean; policies: KubeObject[] } {
  const policies = s.networkPolicies.filter(
    (p) => types(p).includes('Ingress') && selects(p, target),
  );
  if (!policies.length) return { allowed: true, policies };
  const allowed = policies.some((p) =>
    ((p.spec?.ingress ?? []) as Rule[]).some(
      (r) =>
        (!r.from?.length || r.from.some((peer) => peerMatchesLocal(peer, s.namespace, client))) &&
        ports.some((port) => portAllowed(r, port)),
    ),
  );
  return { allowed, policies };
}

/** Workloads whose pod template names the service as a host (env values, args, command). */
function clientsOf(s: Snapshot, service: string): KubeObject[] {
  const host = new RegExp(
    `(^|[^a-z0-9.-])${service.replace(/\./g, '\\.')}(\\.${s.namespace})?(\\.svc(\\.cluster\\.local)?)?(:[0-9]+)?($|[^a-z0-9-])`,
  );
  // A crashing pod whose log reports a failed connection to the service is a client too.
  // Only the service name is taken from the (untrusted) log; the rule that would be added
  // is derived from the workload's own selector and the policy's structure.
  const failed = new Set<string>();
  const connectError =
    /(time(d)? ?out|refused|cannot connect|could not connect|unreachable|no route)/i;
  for (const [key, text] of Object.entries(s.logs)) {
    const lines = text.split('\n').filter((l) => host.test(l) && connectError.test(l));
    const pod = s.pods.find((p) => p.metadata.name === key.split('/')[0]);
    if (lines.length && pod) failed.add(topOwner(s, pod).metadata.uid ?? '');
  }
  return [...s.deployments, ...s.statefulSets, ...s.daemonSets].filter((w) => {
    if (failed.has(w.metadata.uid ?? '-')) return true;
    const containers = w.spec?.template?.spec?.containers ?? [];
    const text = containers.flatMap(
      (c: { env?: { value?: string }[]; args?: string[]; command?: string[] }) => [
        ...(c.env ?? []).map((e) => e.value ?? ''),
        ...(c.args ?? []),
        ...(c.command ?? []),
      ],
    );
    return text.some((t: string) => host.test(t));
  });
}

function stableLabels(w: KubeObject): Record<string, string> {
  return (w.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
}

/** The Service's target ports as the backend pod listens on them (named ports resolved). */
function podPorts(svc: KubeObject, backend: KubeObject): { port: number; protocol: string }[] {
  const declared = (
    (backend.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]
  ).flatMap((c) => c.ports ?? []);
  return (
    (svc.spec?.ports ?? []) as { port: number; targetPort?: number | string; protocol?: string }[]
  )
    .map((p) => {
      const target = p.targetPort ?? p.port;
      const port =
        typeof target === 'number'
          ? target
          : declared.find((d) => d.name === target)?.containerPort;
      return port === undefined ? undefined : { port, protocol: p.protocol ?? 'TCP' };
    })
    .filter((p): p is { port: number; protocol: string } => p !== undefined);
}

/**
 * A client that names a Service whose pods its own egress policies do not let it reach on
 * the Service's ports. The rule proposed goes into the client's allow-list (never into a
 * namespace-wide default deny) and names exactly the Service's pods and ports.
 */
function egressFinding(
  s: Snapshot,
  svc: KubeObject,
  client: KubeObject,
  clientPod: KubeObject,
  backend: KubeObject,
): Finding | undefined {
  const ports = podPorts(svc, backend);
  if (!ports.length) return undefined;
  const block = egressBlock(
    s,
    clientPod,
    backend,
    ports.map((p) => p.port),
  );
  if (!block.blocked) return undefined;
  const policy = block.allowList ?? block.policies[0]!;
  const selector = svc.spec.selector as Record<string, string>;
  const list = ports.map((p) => `${p.protocol} ${p.port}`).join(', ');
  return {
    code: 'NETPOL_BLOCKS_EGRESS',
    severity: 'critical',
    object: objectOf(policy, 'NetworkPolicy'),
    evidence: [
      `${client.kind} ${client.metadata.name} refers to Service ${svc.metadata.name} (in its pod template or a failed connection in its log)`,
      `egress policies selecting its pods: ${block.policies.map((p) => p.metadata.name).join(', ')}; none allows ${list} to the Service's pods (${quoteJson(selector)})`,
      `NetworkPolicy ${policy.metadata.name} egress rules: ${quoteJson(policy.spec?.egress ?? [], 300)}`,
    ],
    explanation: `Connections from ${client.metadata.name} to ${svc.metadata.name} (${list}) are dropped: its egress is restricted and no egress rule allows the Service's pods on that port.`,
    remediations: block.allowList
      ? [
          {
            action: 'AddNetworkPolicyRule',
            args: {
              namespace: s.namespace,
              name: policy.metadata.name,
              direction: 'egress',
              peers: [{ podSelector: selector }],
              ports: ports.map((p) => ({ protocol: p.protocol, port: p.port })),
            },
            confidence: 0.75,
            reasoning: `allow ${client.metadata.name}'s egress to exactly ${svc.metadata.name}'s pods on ${list}, in its own allow-list ${policy.metadata.name}; the default deny and every other rule stay`,
          },
        ]
      : [],
    ...(block.allowList
      ? {}
      : {
          humanAction: `Only namespace-wide egress policies select ${client.metadata.name}; add a NetworkPolicy selecting its pods that allows egress to ${svc.metadata.name}'s pods (${quoteJson(selector)}) on ${list}.`,
        }),
  };
}

export const networkPolicyAnalyzer: Analyzer = {
  name: 'network-policy',
  codes: [
    'NETPOL_BLOCKS_SERVICE_TRAFFIC',
    'NETPOL_BLOCKS_EGRESS',
    'NETPOL_BLOCKS_DNS',
    'NETPOL_SELECTS_NO_PODS',
  ],
  analyze(s) {
    const findings: Finding[] = [];
    for (const svc of s.services) {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      if (!selector || !Object.keys(selector).length) continue;
      const backends = s.pods.filter((p) => matchesSelector(p.metadata.labels, selector));
      if (!backends.length) continue;
      const targetPorts = (
        (svc.spec?.ports ?? []) as { port: number; targetPort?: number | string }[]
      ).map((p) => p.targetPort ?? p.port);
      for (const client of clientsOf(s, svc.metadata.name)) {
        const clientPod =
          s.pods.find((p) => matchesSelector(p.metadata.labels, stableLabels(client))) ??
          ({
            metadata: {
              name: client.metadata.name,
              labels: client.spec?.template?.metadata?.labels,
            },
          } as KubeObject);
        if (matchesSelector(clientPod.metadata.labels, selector)) continue;
        const egress = egressFinding(s, svc, client, clientPod, backends[0]!);
        if (egress) findings.push(egress);
        const { allowed, policies } = ingressAllowed(s, clientPod, backends[0]!, targetPorts);
        if (allowed) continue;
        const policy = policies[0]!;
        findings.push({
          code: 'NETPOL_BLOCKS_SERVICE_TRAFFIC',
          severity: 'critical',
          object: objectOf(policy, 'NetworkPolicy'),
          evidence: [
            `${client.kind} ${client.metadata.name} refers to Service ${svc.metadata.name} (in its pod template) and is not allowed in`,
            `NetworkPolicy ${policy.metadata.name} selects the Service's pods; its ingress rules: ${quoteJson(policy.spec?.ingress ?? [], 300)}`,
            `client pod labels: ${quoteJson(stableLabels(client))}, service target ports: ${targetPorts.join(', ')}`,
          ],
          explanation: `Traffic from ${client.metadata.name} to ${svc.metadata.name} is dropped: the NetworkPolicy that selects ${svc.metadata.name}'s pods has no rule admitting ${client.metadata.name}.`,
          remediations: Object.keys(stableLabels(client)).length
            ? [
                {
                  action: 'AddNetworkPolicyRule',
                  args: {
                    namespace: s.namespace,
                    name: policy.metadata.name,
                    direction: 'ingress',
                    peers: [{ podSelector: stableLabels(client) }],
                    ports: targetPorts.map((port) => ({ protocol: 'TCP', port })),
                  },
                  confidence: 0.7,
                  reasoning: `admit exactly ${client.metadata.name}'s pods on the service's target port(s); the rest of the policy stays as it is`,
                },
              ]
            : [],
        });
      }
    }
    // Egress policies add up: report missing DNS once, on the policy selecting the most pods.
    const dnsCovered = new Set<string>();
    // Ties go to the namespace-wide policy (empty podSelector).
    const width = (p: KubeObject) =>
      s.pods.filter((pod) => selects(p, pod)).length +
      (Object.keys(p.spec?.podSelector ?? {}).length === 0 ? 0.5 : 0);
    const bySize = [...s.networkPolicies].sort((a, b) => width(b) - width(a));
    for (const policy of bySize) {
      const pods = s.pods.filter((p) => selects(policy, p));
      const sel = policy.spec?.podSelector ?? {};
      const nonEmpty =
        Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0;
      if (nonEmpty && pods.length === 0) {
        findings.push({
          code: 'NETPOL_SELECTS_NO_PODS',
          severity: 'info',
          object: objectOf(policy, 'NetworkPolicy'),
          evidence: [`podSelector: ${quoteJson(sel)} matches no pod in ${s.namespace}`],
          explanation:
            'The NetworkPolicy applies to no pod; if it was meant to protect something, its selector is wrong.',
          remediations: [],
        });
      }
      if (!types(policy).includes('Egress') || pods.length === 0) continue;
      if (pods.every((p) => dnsCovered.has(p.metadata.name))) continue;
      const rules = (policy.spec?.egress ?? []) as Rule[];
      // DNS is allowed when another egress policy selecting these pods allows it too (policies add up).
      const dnsOk = s.networkPolicies
        .filter((p) => types(p).includes('Egress') && pods.some((pod) => selects(p, pod)))
        .some((p) =>
          ((p.spec?.egress ?? []) as Rule[]).some(
            (r) =>
              portAllowed(r, 53, 'UDP') &&
              (!r.to?.length ||
                r.to.some(
                  (peer) => peer.namespaceSelector !== undefined || peer.ipBlock !== undefined,
                )),
          ),
        );
      if (dnsOk) continue;
      for (const p of pods) dnsCovered.add(p.metadata.name);
      findings.push({
        code: 'NETPOL_BLOCKS_DNS',
        severity: 'critical',
        object: objectOf(policy, 'NetworkPolicy'),
        evidence: [
          `policyTypes: ${quoteJson(types(policy))}, egress rules: ${quoteJson(rules, 300)}`,
          `selects ${pods.length} pod(s), e.g. ${pods
            .slice(0, 3)
            .map((p) => p.metadata.name)
            .join(', ')}`,
          'no egress rule allows UDP 53 to the cluster DNS',
        ],
        explanation:
          'The policy restricts egress without allowing DNS, so the selected pods cannot resolve any name (every connection by hostname fails).',
        remediations: [
          {
            action: 'AddNetworkPolicyRule',
            args: {
              namespace: s.namespace,
              name: policy.metadata.name,
              direction: 'egress',
              peers: [
                {
                  namespaceSelector: { 'kubernetes.io/metadata.name': 'kube-system' },
                  podSelector: { 'k8s-app': 'kube-dns' },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
            confidence: 0.8,
            reasoning:
              'allow DNS (port 53) to the kube-system namespace only; every other egress restriction of the policy stays',
          },
        ],
      });
    }
    return findings;
  },
};

export const webhookAnalyzer: Analyzer = {
  name: 'webhook',
  codes: ['WEBHOOK_SERVICE_MISSING', 'WEBHOOK_SERVICE_NO_ENDPOINTS'],
  analyze(s) {
    const findings: Finding[] = [];
    for (const config of s.webhooks) {
      for (const hook of (config.webhooks ?? []) as {
        name: string;
        failurePolicy?: string;
        clientConfig?: { service?: { namespace: string; name: string } };
      }[]) {
        const ref = hook.clientConfig?.service;
        if (!ref || ref.namespace !== s.namespace) continue;
        const svc = s.services.find((x) => x.metadata.name === ref.name);
        const blocking = (hook.failurePolicy ?? 'Fail') === 'Fail';
        const endpoints = s.endpoints.find((e) => e.metadata.name === ref.name);
        const ready = (endpoints?.subsets ?? []).reduce(
          (n: number, x: { addresses?: unknown[] }) => n + (x.addresses?.length ?? 0),
          0,
        );
        if (svc && ready > 0) continue;
        findings.push({
          code: svc ? 'WEBHOOK_SERVICE_NO_ENDPOINTS' : 'WEBHOOK_SERVICE_MISSING',
          severity: blocking ? 'critical' : 'warning',
          object: {
            apiVersion: config.apiVersion ?? 'admissionregistration.k8s.io/v1',
            kind: config.kind ?? 'ValidatingWebhookConfiguration',
            namespace: null,
            name: config.metadata.name,
          },
          evidence: [
            `webhook ${quote(hook.name)} calls Service ${ref.namespace}/${ref.name}: ${svc ? `${ready} ready endpoints` : 'service does not exist'}`,
            `failurePolicy: ${hook.failurePolicy ?? 'Fail'}`,
          ],
          explanation: blocking
            ? 'The admission webhook cannot be reached and fails closed: the API server rejects every request it intercepts.'
            : 'The admission webhook cannot be reached; requests pass unchecked (failurePolicy Ignore).',
          remediations: [],
          humanAction: `Restore the webhook's backend (${ref.namespace}/${ref.name}) or remove the stale webhook configuration.`,
        });
      }
    }
    return findings;
  },
};
