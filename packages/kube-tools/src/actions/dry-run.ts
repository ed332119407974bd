import { KubeApiError } from '../errors.ts';

/**
 * A server-side dry run, when the planning identity may make one. The planner only reads
 * the cluster: Kubernetes RBAC has no "dry-run only" verb, so granting `patch` for dry runs
 * would let it write. On such an identity the dry run answers 403, and the step is planned
 * from the live object alone (the diff shows the values the patch sets). Safety does not
 * depend on it: the executor writes exactly the approved, guarded patch, and the API server
 * validates that write (a refused write writes nothing). Returns undefined on 403.
 */
export async function dryRunIfAllowed<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 403) return undefined;
    throw error;
  }
}
