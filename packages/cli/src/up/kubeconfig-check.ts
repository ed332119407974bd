import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LaunchError } from './nats.ts';

const Named = z.array(z.object({ name: z.string() }).loose()).min(1);
const Kubeconfig = z
  .object({
    clusters: Named,
    contexts: Named,
    users: Named,
    'current-context': z.string().optional(),
  })
  .loose();

/**
 * Checks a real cluster's kubeconfig before anything starts (a service failing on it later
 * would say much less): the file exists, is a kubeconfig, and has the context asked for.
 * Returns its absolute path.
 */
export function checkKubeconfig(file: string, context?: string): string {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw new LaunchError(
      `kubeconfig ${file} does not exist: pass --kubeconfig with an existing file`,
    );
  }
  let parsed: z.infer<typeof Kubeconfig>;
  try {
    parsed = Kubeconfig.parse(parse(readFileSync(path, 'utf8')));
  } catch (error) {
    const why =
      error instanceof z.ZodError ? 'it needs clusters, contexts and users' : 'it is not YAML';
    throw new LaunchError(
      `kubeconfig ${file} is not a valid kubeconfig (${why}): pass --kubeconfig with the file kubectl uses`,
    );
  }
  const wanted = context ?? parsed['current-context'];
  if (!wanted) {
    throw new LaunchError(`kubeconfig ${file} has no current-context: pass --context NAME`);
  }
  if (!parsed.contexts.some((c) => c.name === wanted)) {
    throw new LaunchError(
      `kubeconfig ${file} has no context "${wanted}": pass --context with one of ${parsed.contexts.map((c) => c.name).join(', ')}`,
    );
  }
  return path;
}
