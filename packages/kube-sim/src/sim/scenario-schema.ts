/**
 * The `kind: Scenario` document (sim.opsloop.dev/v1alpha1): what the user asks, the
 * nodes to simulate when the file declares none, and the checks that decide whether a
 * fix is correct (`verify` must all hold) and not a shortcut (no `forbid` item may hold).
 *
 * A check is one of:
 *  - an assertion on one object: {apiVersion, kind, namespace?, name, jsonpath, and exactly
 *    one of exists | equals | notEquals | matches};
 *  - a request through the API server's service proxy: {service: "ns/name", port, path, status};
 *  - {apiVersion, kind, namespace?, name, deleted: true}: the object no longer exists.
 */
import { z } from 'zod';
import { parseJsonPath } from './jsonpath.ts';

const description = z.string().optional();
const objectRef = {
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
  description,
};
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

function validJsonPath(value: string): boolean {
  try {
    parseJsonPath(value);
    return true;
  } catch {
    return false;
  }
}

export const objectAssertionSchema = z
  .strictObject({
    ...objectRef,
    jsonpath: z.string().min(1).refine(validJsonPath, 'not a valid kubectl jsonpath template'),
    exists: z.boolean().optional(),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    matches: z
      .string()
      .refine((v) => {
        try {
          new RegExp(v);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .refine(
    (a) => [a.exists, a.equals, a.notEquals, a.matches].filter((v) => v !== undefined).length === 1,
    'give exactly one of exists, equals, notEquals, matches',
  );

export const deletedAssertionSchema = z.strictObject({ ...objectRef, deleted: z.literal(true) });

export const serviceAssertionSchema = z.strictObject({
  description,
  service: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'write the service as "namespace/name"'),
  port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]),
  path: z.string().startsWith('/', 'paths start with "/"').default('/'),
  status: z.number().int().min(100).max(599),
  bodyMatches: z.string().optional(),
});

export type ObjectAssertion = z.infer<typeof objectAssertionSchema>;
export type DeletedAssertion = z.infer<typeof deletedAssertionSchema>;
export type ServiceAssertion = z.infer<typeof serviceAssertionSchema>;
export type Check = ObjectAssertion | DeletedAssertion | ServiceAssertion;

/** Picks the schema by the item's distinguishing key, so errors name the right fields. */
export function checkSchemaFor(item: unknown) {
  if (item !== null && typeof item === 'object') {
    if ('service' in item) return serviceAssertionSchema;
    if ('deleted' in item) return deletedAssertionSchema;
  }
  return objectAssertionSchema;
}

const quantity = z.union([
  z.string().regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'not a Kubernetes quantity'),
  z.number(),
]);

const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

/** Per-node differences from the generated defaults, by node name (`node-2`). */
const nodeOverrideSchema = z.strictObject({
  labels: z.record(z.string(), z.string()).optional(),
  taints: z.array(taintSchema).optional(),
  /** false: the kubelet stopped posting status (Ready=Unknown, unreachable taints). */
  ready: z.boolean().optional(),
  unschedulable: z.boolean().optional(),
});

export const nodesSchema = z.strictObject({
  count: z.number().int().min(1).max(100).default(3),
  cpu: quantity.transform((v) => String(v)).default('4'),
  memory: quantity.transform((v) => String(v)).default('16Gi'),
  pods: z.number().int().min(1).default(110),
  overrides: z
    .record(
      z.string().regex(/^node-\d+$/, 'override keys are generated node names like node-2'),
      nodeOverrideSchema,
    )
    .default({}),
});
export type NodeOverride = z.infer<typeof nodeOverrideSchema>;

export const scenarioDocumentSchema = z.strictObject({
  apiVersion: z.literal('sim.opsloop.dev/v1alpha1'),
  kind: z.literal('Scenario'),
  metadata: z.looseObject({ name: z.string().min(1) }),
  spec: z.strictObject({
    summary: z.string().min(1),
    request: z.string().min(1),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a namespace name'),
    nodes: nodesSchema.default({ count: 3, cpu: '4', memory: '16Gi', pods: 110, overrides: {} }),
    /** Sim seconds to wait for workloads to settle before applying a later revision. */
    settleSeconds: z.number().min(0).default(120),
    // Empty is legitimate: a nodes-only or fixtures-only scenario has nothing to fix.
    verify: z.array(z.unknown()).default([]),
    forbid: z.array(z.unknown()).default([]),
  }),
});

export type NodesSpec = z.infer<typeof nodesSchema>;
