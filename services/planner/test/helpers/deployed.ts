/**
 * The planner's rights as a real installation gives them (deploy/base/rbac and
 * deploy/managed-namespace for the scenario's namespace), for tests that must see what the
 * deployed planner sees: in particular, no Secrets at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioSim } from '@opsloop/kube-sim';

const DEPLOY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'deploy');

export const PLANNER_USER = {
  token: 'planner-as-deployed-0123456789abcdef',
  username: 'system:serviceaccount:opsloop:planner',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:opsloop', 'system:authenticated'],
};

/** Loads the deployed RBAC into the sim; the planner then reads as PLANNER_USER. */
export function loadDeployedRbac(run: ScenarioSim): void {
  const rbac = join(DEPLOY, 'base', 'rbac');
  const files = [
    join(DEPLOY, 'base', 'namespace.yaml'),
    ...readdirSync(rbac)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(rbac, f)),
  ];
  for (const file of files) run.sim.loadYaml(readFileSync(file, 'utf8'), file);
  // As kustomize would set it: every binding of managed-namespace in the scenario's namespace.
  const bindings = join(DEPLOY, 'managed-namespace', 'bindings.yaml');
  const text = readFileSync(bindings, 'utf8').replace(
    /^metadata:\n/gm,
    `metadata:\n  namespace: ${run.namespace}\n`,
  );
  run.sim.loadYaml(text, bindings);
}
