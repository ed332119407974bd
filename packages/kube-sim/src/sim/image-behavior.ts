/**
 * `ImageBehavior` (sim.opsloop.dev/v1alpha1): how one image behaves when the simulated
 * kubelet pulls and runs it. Only `spec.image` is required; every other field has the
 * default an unremarkable server image would have.
 */
import { z } from 'zod';
import { SimError, SimErrorCode, formatPath } from './errors.ts';
import { parseImageRef } from './image-ref.ts';

export const SIM_API_VERSION = 'sim.opsloop.dev/v1alpha1';

const port = z.number().int().min(1).max(65535);
const statusCode = z.number().int().min(100).max(599);

const listenSchema = z.strictObject({
  port,
  /** Path → status code. Paths not listed answer 404. No `http` means plain TCP. */
  http: z
    .record(z.string(), statusCode)
    .refine((routes) => Object.keys(routes).every((path) => path.startsWith('/')), {
      message: 'HTTP paths start with "/"',
    })
    .optional(),
});

const dependencySchema = z.strictObject({
  host: z.string().min(1),
  port,
  /** A fatal dependency that cannot be reached makes the process exit 1. */
  fatal: z.boolean().optional(),
});

const specSchema = z.strictObject({
  image: z
    .string()
    .min(1)
    .refine((value) => isValidRef(value), 'not a valid image reference'),
  /**
   * Unauthorized: the registry refuses anonymous pulls; a pod whose pull secrets hold
   * credentials for the registry host pulls it (see pullSucceeds in catalog.ts).
   */
  pull: z.enum(['Ok', 'NotFound', 'Unauthorized']).optional(),
  binaries: z.array(z.string().min(1)).optional(),
  listen: z.array(listenSchema).optional(),
  startupSeconds: z.number().min(0).optional(),
  memoryMi: z.number().min(0).optional(),
  cpuMilli: z.number().min(0).optional(),
  requiredEnv: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an env var name'))
    .optional(),
  dependencies: z.array(dependencySchema).optional(),
  logs: z.array(z.string()).optional(),
  exitAfterSeconds: z.number().min(0).optional(),
  exitCode: z.number().int().min(0).max(255).optional(),
});

export const imageBehaviorSchema = z.strictObject({
  apiVersion: z.literal(SIM_API_VERSION),
  kind: z.literal('ImageBehavior'),
  metadata: z.looseObject({ name: z.string().min(1).optional() }).optional(),
  spec: specSchema,
});

export type ImageBehavior = z.infer<typeof imageBehaviorSchema>;
export type ImageBehaviorSpec = ImageBehavior['spec'];
export type ListenSpec = z.infer<typeof listenSchema>;
export type DependencySpec = z.infer<typeof dependencySchema>;

function isValidRef(value: string): boolean {
  try {
    parseImageRef(value);
    return true;
  } catch {
    return false;
  }
}

/** Renders zod issues as `field.path: what is wrong` lines. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = formatPath([...(prefix === '' ? [] : [prefix]), ...issue.path]);
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validates one parsed YAML/JSON document. `where` names it in errors
 * ("scenarios/x.yaml document 3").
 */
export function parseImageBehavior(document: unknown, where = 'ImageBehavior'): ImageBehavior {
  const result = imageBehaviorSchema.safeParse(document);
  if (!result.success) {
    throw new SimError(
      SimErrorCode.InvalidImageBehavior,
      `${where}: invalid ImageBehavior: ${describeIssues(result.error)}`,
    );
  }
  return result.data;
}
