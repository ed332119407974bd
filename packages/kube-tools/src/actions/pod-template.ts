import { z } from 'zod';
import { PreconditionError } from '../errors.ts';
import { setOps } from '../json-pointer.ts';
import {
  EnvName,
  HttpPath,
  LabelKey,
  LabelMap,
  LabelValue,
  Name,
  PortOrName,
  Quantity,
} from '../validation.ts';
import {
  POD_SPEC,
  containerFields,
  containerStepArgs,
  diffBefore,
  findContainer,
  rolloutChecks,
  summaryJson,
  workloadArgs,
  workloadFields,
  workloadTarget,
} from './common.ts';
import type { ActionDefinition, PlannedStep } from './types.ts';

const ResourceMap = z.strictObject({
  cpu: Quantity.nullable().optional(),
  memory: Quantity.nullable().optional(),
});
const ResourcesArgs = z
  .strictObject({
    ...containerFields,
    requests: ResourceMap.optional(),
    limits: ResourceMap.optional(),
  })
  .refine((a) => a.requests !== undefined || a.limits !== undefined, 'give requests or limits');

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function merge(
  before: Record<string, string> | undefined,
  change: Record<string, string | null | undefined> | undefined,
) {
  const out: Record<string, string> = { ...(before ?? {}) };
  for (const [key, value] of Object.entries(change ?? {})) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out;
}

export const SetContainerResources: ActionDefinition<z.infer<typeof ResourcesArgs>> = {
  name: 'SetContainerResources',
  description: 'Set (or with null remove) cpu/memory requests and limits of one container.',
  schema: ResourcesArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    const at = findContainer('SetContainerResources', live, a.container);
    const before = (at.container.resources ?? {}) as Resources;
    const after: Resources = {};
    const requests = merge(before.requests, a.requests);
    const limits = merge(before.limits, a.limits);
    if (Object.keys(requests).length) after.requests = requests;
    if (Object.keys(limits).length) after.limits = limits;
    return {
      ops: setOps(live, [...at.segments, 'resources'], after),
      summary: `set resources of container ${a.container} in ${a.kind} ${a.namespace}/${a.name} to ${summaryJson(after)}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const before = (diffBefore(step, '.resources') ?? {}) as Resources;
    const undo = (b: Record<string, string> | undefined) => ({
      cpu: b?.cpu ?? null,
      memory: b?.memory ?? null,
    });
    return {
      action: 'SetContainerResources',
      args: {
        ...containerStepArgs(step),
        requests: undo(before.requests),
        limits: undo(before.limits),
      },
    };
  },
};

const KeyRef = z.strictObject({
  name: Name,
  key: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[-._a-zA-Z0-9]+$/),
  optional: z.boolean().optional(),
});
/** One env var: a plain value (one safe line) or a reference; RecreateJob uses it too. */
export const EnvVar = z.union([
  z.strictObject({
    name: EnvName,
    // One line of printable ASCII without shell metacharacters: a value may end up in a
    // container's `sh -c`, so nothing here can chain or substitute commands.
    value: z
      .string()
      .max(4096)
      .regex(/^[\x20-\x7e]*$/, 'must be one line of printable ASCII')
      .refine(
        (v) => !/[;`|<>]|\$\(/.test(v),
        'must not contain shell metacharacters (; ` | < > $( )',
      ),
  }),
  z.strictObject({
    name: EnvName,
    valueFrom: z.union([
      z.strictObject({ secretKeyRef: KeyRef }),
      z.strictObject({ configMapKeyRef: KeyRef }),
      z.strictObject({
        fieldRef: z.strictObject({
          fieldPath: z
            .string()
            .max(128)
            .regex(
              /^(metadata\.(name|namespace|uid)|metadata\.(labels|annotations)\['[-._/a-zA-Z0-9]+'\]|spec\.(nodeName|serviceAccountName)|status\.(hostIP|podIP|podIPs))$/,
            ),
        }),
      }),
    ]),
  }),
]);
export type EnvVar = z.infer<typeof EnvVar>;

const EnvArgs = z
  .strictObject({
    ...containerFields,
    set: z.array(EnvVar).max(50).default([]),
    remove: z.array(EnvName).max(50).default([]),
  })
  .refine((a) => a.set.length + a.remove.length > 0, 'give at least one variable to set or remove')
  .refine(
    (a) => !a.set.some((v) => a.remove.includes(v.name)),
    'a variable cannot be both set and removed',
  );

export const SetContainerEnv: ActionDefinition<z.infer<typeof EnvArgs>> = {
  name: 'SetContainerEnv',
  description:
    'Add, change or remove environment variables of one container (values or secret/configmap/field references).',
  schema: EnvArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    const at = findContainer('SetContainerEnv', live, a.container);
    const env = [...((at.container.env ?? []) as EnvVar[])].filter(
      (v) => !a.remove.includes(v.name),
    );
    for (const variable of a.set) {
      const index = env.findIndex((v) => v.name === variable.name);
      if (index >= 0) env[index] = variable;
      else env.push(variable);
    }
    const names = [
      ...a.set.map((v) => `set ${v.name}`),
      ...a.remove.map((n) => `remove ${n}`),
    ].join(', ');
    return {
      ops: setOps(live, [...at.segments, 'env'], env),
      summary: `${names} in container ${a.container} of ${a.kind} ${a.namespace}/${a.name}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const before = (diffBefore(step, '.env') ?? []) as EnvVar[];
    const after = (step.diff.find((d) => d.path.endsWith('.env'))?.after ?? []) as EnvVar[];
    const set = before.filter((v) => !after.some((w) => JSON.stringify(w) === JSON.stringify(v)));
    const remove = after.filter((w) => !before.some((v) => v.name === w.name)).map((w) => w.name);
    return {
      action: 'SetContainerEnv',
      args: { ...containerStepArgs(step), set, remove },
    };
  },
};

const ProbeKind = z.enum(['liveness', 'readiness', 'startup']);
const probeFields = {
  /**
   * Replace how the probe checks (an exec command the image cannot run, say) with an HTTP
   * GET on `path` and `port`, or a TCP connect to `port`. Timings stay unless given.
   */
  handler: z.enum(['httpGet', 'tcpSocket']).optional(),
  path: HttpPath.optional(),
  port: PortOrName.optional(),
  initialDelaySeconds: z.number().int().min(0).max(3600).optional(),
  periodSeconds: z.number().int().min(1).max(3600).optional(),
  timeoutSeconds: z.number().int().min(1).max(600).optional(),
  failureThreshold: z.number().int().min(1).max(100).optional(),
  successThreshold: z.number().int().min(1).max(100).optional(),
};
type HandlerFields = { handler?: 'httpGet' | 'tcpSocket'; path?: string; port?: unknown };
const handlerComplete = (a: HandlerFields) =>
  a.handler === undefined ||
  (a.port !== undefined && (a.handler === 'httpGet' ? a.path !== undefined : a.path === undefined));
const HANDLER_RULE = 'handler httpGet needs path and port, tcpSocket a port and no path';

/** Another probe of the same container fixed in the same patch (one step per object). */
const OtherProbe = z
  .strictObject({ probe: ProbeKind, ...probeFields })
  .refine((a) => Object.keys(a).length > 1, 'give at least one probe field to change')
  .refine(handlerComplete, HANDLER_RULE);

const ProbeArgs = z
  .strictObject({
    ...containerFields,
    probe: ProbeKind,
    ...probeFields,
    also: z.array(OtherProbe).min(1).max(2).optional(),
  })
  .refine(
    (a) => Object.keys(a).filter((k) => k !== 'also').length > 5,
    'give at least one probe field to change',
  )
  .refine(handlerComplete, HANDLER_RULE)
  .refine((a) => {
    const kinds = [a.probe, ...(a.also ?? []).map((o) => o.probe)];
    return new Set(kinds).size === kinds.length;
  }, 'each probe at most once');

const PROBE_FIELD = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
} as const;
const TIMINGS = [
  'initialDelaySeconds',
  'periodSeconds',
  'timeoutSeconds',
  'failureThreshold',
  'successThreshold',
] as const;

type ProbeChange = { probe: z.infer<typeof ProbeKind>; handler?: 'httpGet' | 'tcpSocket' } & {
  [K in Exclude<keyof typeof probeFields, 'handler'>]?: unknown;
};

function probeWith(
  container: Record<string, unknown>,
  name: string,
  change: ProbeChange,
): Record<string, unknown> {
  const field = PROBE_FIELD[change.probe];
  const probe = structuredClone(container[field]) as
    Record<string, Record<string, unknown>> | undefined;
  if (!probe)
    throw new PreconditionError(
      'SetProbe',
      `container ${name} has no ${field}; this action only fixes existing probes`,
    );
  if (change.handler !== undefined) {
    // The old handler goes entirely (a probe has exactly one); timings are kept.
    const { exec: _e, httpGet: _h, tcpSocket: _t, grpc: _g, ...kept } = probe;
    const check =
      change.handler === 'httpGet'
        ? // scheme as the API server defaults it, so the applied probe equals the planned one
          { path: change.path, port: change.port, scheme: 'HTTP' }
        : { port: change.port };
    const replaced: Record<string, unknown> = { ...kept, [change.handler]: check };
    for (const key of TIMINGS) if (change[key] !== undefined) replaced[key] = change[key];
    return replaced;
  }
  const handler = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
  if (change.path !== undefined && !probe.httpGet)
    throw new PreconditionError(
      'SetProbe',
      `${field} of ${name} is not an HTTP probe; it has no path to fix`,
    );
  if (change.port !== undefined && !handler)
    throw new PreconditionError('SetProbe', `${field} of ${name} has no port (exec probe)`);
  if (change.path !== undefined) probe.httpGet!.path = change.path;
  if (change.port !== undefined) handler!.port = change.port;
  for (const key of TIMINGS)
    if (change[key] !== undefined) (probe as Record<string, unknown>)[key] = change[key];
  return probe;
}

/** The args that restore one probe as the diff's before shows it, or null if it had none. */
function probeBefore(step: PlannedStep, probe: keyof typeof PROBE_FIELD) {
  const before = diffBefore(step, `.${PROBE_FIELD[probe]}`) as
    Record<string, Record<string, unknown>> | undefined;
  if (!before) return null;
  // An exec command cannot be written back through these args (and an action that writes
  // commands into a container is not one to offer): no SetProbe inverse for that.
  if (before.exec) return null;
  const handler = before.httpGet ?? before.tcpSocket ?? before.grpc;
  const args: Record<string, unknown> = { probe };
  const changes = [step.args, ...((step.args.also ?? []) as Record<string, unknown>[])];
  const switched = changes.some((c) => c.probe === probe && c.handler !== undefined);
  // A switched check is switched back to the handler it had (its path and port follow).
  if (switched) args.handler = before.httpGet ? 'httpGet' : 'tcpSocket';
  if (before.httpGet?.path !== undefined) args.path = before.httpGet.path;
  if (handler?.port !== undefined) args.port = handler.port;
  for (const key of TIMINGS)
    if ((before as Record<string, unknown>)[key] !== undefined)
      args[key] = (before as Record<string, unknown>)[key];
  return args;
}

export const SetProbe: ActionDefinition<z.infer<typeof ProbeArgs>> = {
  name: 'SetProbe',
  description:
    "Fix an existing probe's HTTP path, port or timings, or replace its check with an HTTP GET or TCP connect (`handler`: an exec command the image cannot run); with `also`, other probes of the same container in the same patch. Never adds or removes a probe.",
  schema: ProbeArgs,
  risk: 'medium',
  target: workloadTarget,
  compute(live, a) {
    const at = findContainer('SetProbe', live, a.container);
    const changes: ProbeChange[] = [a, ...(a.also ?? [])];
    const ops = changes.flatMap((change) =>
      setOps(
        live,
        [...at.segments, PROBE_FIELD[change.probe]],
        probeWith(at.container, a.container, change),
      ),
    );
    return {
      ops,
      summary: `fix ${changes.map((c) => PROBE_FIELD[c.probe]).join(' and ')} of container ${a.container} in ${a.kind} ${a.namespace}/${a.name}`,
    };
  },
  checks: rolloutChecks,
  inverse(step) {
    const kinds = [
      step.args.probe,
      ...((step.args.also ?? []) as { probe: string }[]).map((o) => o.probe),
    ] as (keyof typeof PROBE_FIELD)[];
    const restored = kinds.map((k) => probeBefore(step, k));
    if (restored.some((r) => r === null))
      // A Deployment keeps its previous template as a revision: rolling back restores it.
      return step.args.kind === 'Deployment'
        ? { action: 'RolloutUndo', args: { ...workloadArgs(step), kind: 'Deployment' } }
        : null;
    const [first, ...rest] = restored as Record<string, unknown>[];
    return {
      action: 'SetProbe',
      args: { ...containerStepArgs(step), ...first, ...(rest.length ? { also: rest } : {}) },
    };
  },
};

const NodeSelectorArgs = z.strictObject({ ...workloadFields, nodeSelector: LabelMap });

export const SetNodeSelector: ActionDefinition<z.infer<typeof NodeSelectorArgs>> = {
  name: 'SetNodeSelector',
  description: "Replace a workload's pod nodeSelector (an empty map removes it).",
  schema: NodeSelectorArgs,
  risk: 'medium',
  target: workloadTarget,
  compute: (live, a) => ({
    ops: setOps(live, [...POD_SPEC, 'nodeSelector'], a.nodeSelector),
    summary: `set nodeSelector of ${a.kind} ${a.namespace}/${a.name} to ${summaryJson(a.nodeSelector)}`,
  }),
  checks: rolloutChecks,
  inverse: (step) => ({
    action: 'SetNodeSelector',
    args: {
      ...workloadArgs(step),
      nodeSelector: (diffBefore(step, '.nodeSelector') ?? {}) as object,
    },
  }),
};

const Toleration = z.strictObject({
  key: LabelKey.optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: LabelValue.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().min(0).max(31_536_000).optional(),
});
const TolerationsArgs = z.strictObject({
  ...workloadFields,
  tolerations: z.array(Toleration).max(20),
});

export const SetTolerations: ActionDefinition<z.infer<typeof TolerationsArgs>> = {
  name: 'SetTolerations',
  description: "Replace a workload's pod tolerations.",
  schema: TolerationsArgs,
  risk: 'medium',
  target: workloadTarget,
  compute: (live, a) => ({
    ops: setOps(live, [...POD_SPEC, 'tolerations'], a.tolerations),
    summary: `set tolerations of ${a.kind} ${a.namespace}/${a.name} to ${summaryJson(a.tolerations)}`,
  }),
  checks: rolloutChecks,
  inverse: (step) => ({
    action: 'SetTolerations',
    args: {
      ...workloadArgs(step),
      tolerations: (diffBefore(step, '.tolerations') ?? []) as object[],
    },
  }),
};
