import { z } from 'zod';
import { PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import type { KubeObject } from '../types.ts';
import { LabelMap, Name, Namespace, Port, PortName, PortOrName, Quantity } from '../validation.ts';
import { diffBefore, summaryJson } from './common.ts';
import type { ActionDefinition } from './types.ts';

const serviceChecks = (a: { namespace: string; name: string }) => [
  { name: 'EndpointsReady', args: { namespace: a.namespace, service: a.name, min: 1 } },
];

const SelectorArgs = z.strictObject({
  namespace: Namespace,
  name: Name,
  selector: LabelMap.refine(
    (m) => Object.keys(m).length > 0,
    'a Service selector needs at least one label',
  ),
});

export const PatchServiceSelector: ActionDefinition<z.infer<typeof SelectorArgs>> = {
  name: 'PatchServiceSelector',
  description: "Replace a Service's pod selector.",
  schema: SelectorArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'Service', namespace: a.namespace, name: a.name }),
  compute: (live, a) => ({
    ops: setOps(live, ['spec', 'selector'], a.selector),
    summary: `set selector of Service ${a.namespace}/${a.name} to ${summaryJson(a.selector)}`,
  }),
  checks: serviceChecks,
  inverse(step) {
    const before = diffBefore(step, 'spec.selector') as Record<string, string> | undefined;
    return before && Object.keys(before).length
      ? {
          action: 'PatchServiceSelector',
          args: { namespace: step.args.namespace, name: step.args.name, selector: before },
        }
      : null;
  },
};

const PortArgs = z
  .strictObject({
    namespace: Namespace,
    name: Name,
    /** Which service port to change: its number or its name. */
    port: z.union([Port, PortName]),
    newPort: Port.optional(),
    targetPort: PortOrName.optional(),
  })
  .refine(
    (a) => a.newPort !== undefined || a.targetPort !== undefined,
    'give newPort or targetPort',
  );

type ServicePort = { name?: string; port: number; targetPort?: number | string; protocol?: string };

function findPort(live: KubeObject, port: number | string): number {
  const ports = (live.spec?.ports ?? []) as ServicePort[];
  const index = ports.findIndex(
    (p) => p.port === port || (p.name !== undefined && p.name === port),
  );
  if (index < 0) {
    const known = ports.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ');
    throw new PreconditionError(
      'PatchServicePort',
      `Service ${live.metadata.name} has no port ${port} (ports: ${known || 'none'})`,
    );
  }
  return index;
}

export const PatchServicePort: ActionDefinition<z.infer<typeof PortArgs>> = {
  name: 'PatchServicePort',
  description: "Change one Service port's port number and/or targetPort.",
  schema: PortArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'Service', namespace: a.namespace, name: a.name }),
  compute(live, a) {
    const index = findPort(live, a.port);
    const ops = [
      ...(a.newPort !== undefined ? setOps(live, ['spec', 'ports', index, 'port'], a.newPort) : []),
      ...(a.targetPort !== undefined
        ? setOps(live, ['spec', 'ports', index, 'targetPort'], a.targetPort)
        : []),
    ];
    return {
      ops,
      summary: `change port ${a.port} of Service ${a.namespace}/${a.name}: ${summaryJson({ port: a.newPort, targetPort: a.targetPort })}`,
    };
  },
  checks: serviceChecks,
  inverse(step) {
    const args: Record<string, unknown> = {
      namespace: step.args.namespace,
      name: step.args.name,
      port: step.args.newPort ?? step.args.port,
    };
    const port = diffBefore(step, '.port');
    const target = diffBefore(step, '.targetPort');
    if (step.args.newPort !== undefined && typeof port === 'number') args.newPort = port;
    if (step.args.targetPort !== undefined) {
      if (target === null || target === undefined) return null;
      args.targetPort = target;
    }
    return { action: 'PatchServicePort', args };
  },
};

const Peer = z
  .strictObject({ podSelector: LabelMap.optional(), namespaceSelector: LabelMap.optional() })
  .refine(
    (p) => p.podSelector !== undefined || p.namespaceSelector !== undefined,
    'a peer needs podSelector or namespaceSelector',
  );
const RulePort = z.strictObject({
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
  port: PortOrName,
});
const RuleArgs = z.strictObject({
  namespace: Namespace,
  name: Name,
  direction: z.enum(['ingress', 'egress']),
  peers: z.array(Peer).min(1).max(10),
  ports: z.array(RulePort).max(10).default([]),
});

function toSelector(labels: Record<string, string> | undefined) {
  return labels === undefined ? undefined : { matchLabels: labels };
}

export const AddNetworkPolicyRule: ActionDefinition<z.infer<typeof RuleArgs>> = {
  name: 'AddNetworkPolicyRule',
  description:
    'Allow more traffic through a NetworkPolicy by adding one ingress or egress rule (never removes rules or policies).',
  schema: RuleArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'NetworkPolicy', namespace: a.namespace, name: a.name }),
  compute(live, a) {
    const peerKey = a.direction === 'ingress' ? 'from' : 'to';
    const rule: Record<string, unknown> = {
      [peerKey]: a.peers.map((p) => {
        const peer: Record<string, unknown> = {};
        if (p.podSelector) peer.podSelector = toSelector(p.podSelector);
        if (p.namespaceSelector) peer.namespaceSelector = toSelector(p.namespaceSelector);
        return peer;
      }),
    };
    if (a.ports.length) rule.ports = a.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
    const rules = [...((live.spec?.[a.direction] ?? []) as unknown[]), rule];
    return {
      ops: setOps(live, ['spec', a.direction], rules),
      summary: `add an ${a.direction} rule to NetworkPolicy ${a.namespace}/${a.name}: ${summaryJson(rule)}`,
    };
  },
  checks: () => [],
  inverse: () => null,
};

const ResourceName = z
  .string()
  .max(253)
  .regex(
    /^(requests\.|limits\.)?(cpu|memory|storage|ephemeral-storage|pods|services|secrets|configmaps|persistentvolumeclaims|replicationcontrollers|resourcequotas|services\.loadbalancers|services\.nodeports)$|^count\/[a-z0-9.]+$/,
    'must be a quota resource name such as "requests.cpu" or "pods"',
  );
const QuotaArgs = z.strictObject({
  namespace: Namespace,
  name: Name,
  hard: z
    .record(ResourceName, Quantity)
    .refine((m) => Object.keys(m).length > 0 && Object.keys(m).length <= 20, 'give 1–20 limits'),
});

export const UpdateResourceQuota: ActionDefinition<z.infer<typeof QuotaArgs>> = {
  name: 'UpdateResourceQuota',
  description: 'Change hard limits of a ResourceQuota (other limits are kept).',
  schema: QuotaArgs,
  risk: 'medium',
  target: (a) => ({ kind: 'ResourceQuota', namespace: a.namespace, name: a.name }),
  compute: (live, a) => ({
    ops: setOps(live, ['spec', 'hard'], { ...((live.spec?.hard ?? {}) as object), ...a.hard }),
    summary: `set quota ${a.namespace}/${a.name} limits ${summaryJson(a.hard)}`,
  }),
  checks: (a) => [{ name: 'QuotaWithinLimits', args: { namespace: a.namespace, name: a.name } }],
  inverse(step) {
    const before = (diffBefore(step, 'spec.hard') ?? {}) as Record<string, string>;
    const hard = Object.fromEntries(
      Object.keys(step.args.hard as object)
        .filter((k) => before[k] !== undefined)
        .map((k) => [k, before[k]!]),
    );
    return Object.keys(hard).length
      ? {
          action: 'UpdateResourceQuota',
          args: { namespace: step.args.namespace, name: step.args.name, hard },
        }
      : null;
  },
};
