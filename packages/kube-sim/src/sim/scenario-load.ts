/**
 * Finds and reads scenario files. A bare name (`payment-api-selector-mismatch`) means
 * `scenarios/<name>.yaml` in this package; anything with a slash or a YAML extension is a
 * path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { SimError, SimErrorCode } from './errors.ts';
import { parseScenario, type Scenario } from './scenario.ts';

export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** Names of the scenarios shipped with kube-sim, sorted. */
export function listScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function scenarioPath(nameOrPath: string): string {
  const isPath = nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath);
  return isPath ? resolve(nameOrPath) : join(SCENARIO_DIR, `${nameOrPath}.yaml`);
}

export function loadScenario(nameOrPath: string): Scenario {
  const path = scenarioPath(nameOrPath);
  if (!existsSync(path)) {
    throw new SimError(
      SimErrorCode.ScenarioNotFound,
      `scenario "${nameOrPath}" not found (looked for ${path}); built-in scenarios: ${listScenarios().join(', ')}`,
    );
  }
  return parseScenario(readFileSync(path, 'utf8'), path);
}
