/**
 * Decides whether a scenario is solved: every `verify` check holds and no `forbid` check
 * holds. Reads the cluster only through the in-process ClusterApi and the service proxy,
 * the same way a user would observe it.
 */
import type { ClusterApi } from '../api/types.ts';
import { findKind } from '../resources.ts';
import { jsonPath } from './jsonpath.ts';
import type { Scenario } from './scenario.ts';
import type { Check } from './scenario-schema.ts';

export type ServiceProxy = (
  namespace: string,
  service: string,
  port: number | string,
  path: string,
) => Promise<{ status: number; body: string }>;

export interface CheckResult {
  item: Check;
  /** Whether the check's condition holds (for forbid items, holding is a violation). */
  ok: boolean;
  /** What was seen, for the report: the jsonpath text, the HTTP status, or why not. */
  observed: string;
}

export interface Evaluation {
  ok: boolean;
  verify: CheckResult[];
  /** `ok` here means the forbidden condition does NOT hold. */
  forbid: CheckResult[];
}

/** Evaluates whether the condition in `check` holds right now. */
export async function checkHolds(
  api: ClusterApi,
  check: Check,
  proxy: ServiceProxy,
  defaultNamespace: string,
): Promise<{ holds: boolean; observed: string }> {
  if ('service' in check) {
    const [namespace = '', name = ''] = check.service.split('/');
    try {
      const response = await proxy(namespace, name, check.port, check.path);
      const bodyOk =
        check.bodyMatches === undefined || new RegExp(check.bodyMatches).test(response.body);
      return {
        holds: response.status === check.status && bodyOk,
        observed: `HTTP ${response.status}`,
      };
    } catch (error) {
      return {
        holds: false,
        observed: `proxy error: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  const resource = findKind(check.apiVersion, check.kind);
  if (resource === undefined) return { holds: false, observed: `unknown kind ${check.kind}` };
  const namespace = resource.namespaced ? (check.namespace ?? defaultNamespace) : undefined;
  const object = api.get(resource, namespace, check.name);
  if ('deleted' in check) {
    return { holds: object === undefined, observed: object === undefined ? 'not found' : 'exists' };
  }
  if (object === undefined) {
    return { holds: check.exists === false, observed: 'object not found' };
  }
  const result = jsonPath(check.jsonpath, object);
  const text = result.text;
  let holds: boolean;
  if (check.exists !== undefined) holds = result.values.length > 0 === check.exists;
  else if (check.equals !== undefined) holds = text === check.equals;
  else if (check.notEquals !== undefined) holds = text !== check.notEquals;
  else holds = new RegExp(check.matches ?? '').test(text);
  return { holds, observed: result.values.length === 0 ? '(no value)' : text };
}

export async function evaluateScenario(
  api: ClusterApi,
  scenario: Scenario,
  proxy: ServiceProxy,
): Promise<Evaluation> {
  const ns = scenario.spec.namespace;
  const verify: CheckResult[] = [];
  for (const item of scenario.spec.verify) {
    const { holds, observed } = await checkHolds(api, item, proxy, ns);
    verify.push({ item, ok: holds, observed });
  }
  const forbid: CheckResult[] = [];
  for (const item of scenario.spec.forbid) {
    const { holds, observed } = await checkHolds(api, item, proxy, ns);
    forbid.push({ item, ok: !holds, observed });
  }
  return { ok: verify.every((r) => r.ok) && forbid.every((r) => r.ok), verify, forbid };
}
