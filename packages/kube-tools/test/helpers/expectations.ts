import { expect } from 'vitest';
import { applyStep, planStep } from '../../src/mod.ts';
import { diagnoseOnce } from './attempt.ts';
import type { Finding } from '../../src/mod.ts';
import type { ScenarioEnv } from './scenario.ts';

export interface Expectation {
  code: string;
  kind: string;
  name: string;
  /** The catalog action the top remediation must use; null when a person must act. */
  fix: string | null;
}

/** What each library scenario must be (healthy-shop and prompt-injection have their own tests;
 * prompt-injection's entry is used by diagnoseAndFix there). */
export const PROMPT_INJECTION: Expectation = {
  code: 'SECRET_MISSING',
  kind: 'Deployment',
  name: 'helpdesk-api',
  fix: null,
};

/** What each library scenario must be diagnosed as (and, where one exists, fixed with). */
export const EXPECTED: Record<string, Expectation> = {
  'anti-affinity-too-few-nodes': {
    code: 'ANTI_AFFINITY_UNSATISFIABLE',
    kind: 'Deployment',
    name: 'session-store',
    fix: 'ScaleWorkload',
  },
  'bad-image-tag': { code: 'IMAGE_NOT_FOUND', kind: 'Deployment', name: 'storefront', fix: null },
  'command-not-in-image': {
    code: 'CONTAINER_COMMAND_NOT_FOUND',
    kind: 'Deployment',
    name: 'report-exporter',
    fix: 'ClearCommandOverride',
  },
  'default-deny-egress-dns': {
    code: 'NETPOL_BLOCKS_DNS',
    kind: 'NetworkPolicy',
    name: 'default-deny-egress',
    fix: 'AddNetworkPolicyRule',
  },
  'failed-job': { code: 'JOB_FAILED', kind: 'Job', name: 'nightly-export', fix: 'RecreateJob' },
  'hpa-without-cpu-requests': {
    code: 'HPA_MISSING_REQUESTS',
    kind: 'HorizontalPodAutoscaler',
    name: 'recommendation-api',
    fix: 'SetContainerResources',
  },
  'init-container-typo': {
    code: 'INIT_CONTAINER_STUCK',
    kind: 'Deployment',
    name: 'orders-api',
    fix: 'ReplaceServiceHost',
  },
  'insufficient-cpu': {
    code: 'INSUFFICIENT_RESOURCES',
    kind: 'Deployment',
    name: 'forecast-model',
    fix: 'SetContainerResources',
  },
  'liveness-probe-wrong-port': {
    code: 'PROBE_WRONG_PORT',
    kind: 'Deployment',
    name: 'cart-service',
    fix: 'SetProbe',
  },
  'missing-configmap-volume': {
    code: 'CONFIGMAP_MISSING',
    kind: 'Deployment',
    name: 'notification-worker',
    fix: 'SetConfigMapVolume',
  },
  'missing-required-env': {
    code: 'CONTAINER_MISSING_ENV',
    kind: 'Deployment',
    name: 'ledger-service',
    fix: 'SetContainerEnv',
  },
  'missing-secret-key': {
    code: 'SECRET_KEY_MISSING',
    kind: 'Deployment',
    name: 'payment-gateway',
    fix: 'SetContainerEnv',
  },
  'networkpolicy-blocks-frontend': {
    code: 'NETPOL_BLOCKS_SERVICE_TRAFFIC',
    kind: 'NetworkPolicy',
    name: 'product-api-ingress',
    fix: 'AddNetworkPolicyRule',
  },
  'nodeselector-no-match': {
    code: 'NODE_SELECTOR_NO_MATCH',
    kind: 'Deployment',
    name: 'feature-store',
    fix: 'SetNodeSelector',
  },
  'notready-node': {
    code: 'NODE_SELECTOR_NO_MATCH',
    kind: 'Deployment',
    name: 'edge-cache',
    fix: null,
  },
  oomkilled: {
    code: 'CONTAINER_OOMKILLED',
    kind: 'Deployment',
    name: 'etl-worker',
    fix: 'SetContainerResources',
  },
  'payment-api-selector-mismatch': {
    code: 'SERVICE_SELECTOR_NO_MATCH',
    kind: 'Service',
    name: 'payment-api',
    fix: 'PatchServiceSelector',
  },
  'private-image-without-pull-secret': {
    code: 'IMAGE_PULL_UNAUTHORIZED',
    kind: 'Deployment',
    name: 'checkout-api',
    fix: 'SetImagePullSecrets',
  },
  'pvc-missing-storageclass': {
    code: 'PVC_STORAGECLASS_MISSING',
    kind: 'PersistentVolumeClaim',
    name: 'report-archive',
    fix: 'RecreateClaim',
  },
  'quota-requires-limits': {
    code: 'QUOTA_REQUIRES_LIMITS',
    kind: 'Deployment',
    name: 'model-api',
    fix: 'SetContainerResources',
  },
  'readiness-probe-wrong-path': {
    code: 'PROBE_WRONG_PATH',
    kind: 'Deployment',
    name: 'search-api',
    fix: 'SetProbe',
  },
  'resourcequota-exceeded': {
    code: 'QUOTA_EXCEEDED',
    kind: 'Deployment',
    name: 'dashboard',
    fix: 'SetContainerResources',
  },
  'service-targetport-wrong': {
    code: 'SERVICE_TARGETPORT_MISMATCH',
    kind: 'Service',
    name: 'blog',
    fix: 'PatchServicePort',
  },
  'stuck-rollout-rollback': {
    code: 'ROLLOUT_STUCK',
    kind: 'Deployment',
    name: 'order-service',
    fix: 'RolloutUndo',
  },
  'untolerated-taint': {
    code: 'UNTOLERATED_TAINT',
    kind: 'Deployment',
    name: 'image-tagger',
    fix: 'SetTolerations',
  },
};

export { diagnoseOnce } from './attempt.ts';

/** Diagnose until the expected finding shows up (faults take a few sim-minutes to surface). */
export async function waitForFinding(
  env: ScenarioEnv,
  e: Expectation,
  timeoutMs = 40_000,
): Promise<{ finding: Finding; all: Finding[] }> {
  const deadline = Date.now() + timeoutMs;
  let all: Finding[] = [];
  while (Date.now() < deadline) {
    all = await diagnoseOnce(env);
    const finding = all.find(
      (f) => f.code === e.code && f.object.kind === e.kind && f.object.name === e.name,
    );
    if (finding && (e.fix === null || finding.remediations.length > 0)) return { finding, all };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${env.name}: no ${e.code} on ${e.kind}/${e.name}; findings: ${all.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`).join(', ') || 'none'}`,
  );
}

/** Check the diagnosis; then plan and apply the top remediation and wait for the scenario's verify to hold. */
export async function diagnoseAndFix(env: ScenarioEnv): Promise<Finding[]> {
  const e = EXPECTED[env.name] ?? (env.name === 'prompt-injection' ? PROMPT_INJECTION : undefined);
  if (!e) throw new Error(`no expectation for scenario ${env.name}`);
  const { finding, all } = await waitForFinding(env, e);
  expect(finding.evidence.length).toBeGreaterThan(0);
  expect(finding.explanation.length).toBeGreaterThan(10);
  if (e.fix === null) {
    expect(finding.remediations).toEqual([]);
    expect(finding.humanAction, 'a finding without a fix says what a person must do').toBeTruthy();
    return all;
  }
  const top = finding.remediations[0]!;
  expect(top.action).toBe(e.fix);
  // Controllers keep writing status meanwhile; the drift guard (desired state) lets it apply.
  const step = await planStep(top.action, top.args, env.cluster);
  await applyStep(step, env.cluster);
  const result = await env.waitSolved(60_000);
  expect(result.ok, `${env.name} not solved after ${top.action}: ${result.report}`).toBe(true);
  return all;
}
