/**
 * What the planner must make of each kube-sim library scenario, asked with the scenario's
 * own request: the diagnosis names `code` on `kind`/`name`; where `fix` names a catalog
 * action the plan uses it and, applied, solves the scenario. `fix: null` is where the
 * analyzers have no typed fix today: then an answer saying what a person must do is right,
 * and a plan (should the analyzers gain a fix) must still solve the scenario.
 */
export interface Expectation {
  code: string;
  kind: string;
  name: string;
  fix: string | null;
}

/** A scenario with nothing to fix: the answer proposes nothing; `says` is what it must say. */
export interface Healthy {
  healthy: true;
  says?: RegExp;
}

const e = (code: string, kind: string, name: string, fix: string | null): Expectation => ({
  code,
  kind,
  name,
  fix,
});

export const LIBRARY: Record<string, Expectation> = {
  'anti-affinity-too-few-nodes': e(
    'ANTI_AFFINITY_UNSATISFIABLE',
    'Deployment',
    'session-store',
    'ScaleWorkload',
  ),
  'bad-image-tag': e('IMAGE_NOT_FOUND', 'Deployment', 'storefront', null),
  'command-not-in-image': e(
    'CONTAINER_COMMAND_NOT_FOUND',
    'Deployment',
    'report-exporter',
    'ClearCommandOverride',
  ),
  'default-deny-egress-dns': e(
    'NETPOL_BLOCKS_DNS',
    'NetworkPolicy',
    'default-deny-egress',
    'AddNetworkPolicyRule',
  ),
  'failed-job': e('JOB_FAILED', 'Job', 'nightly-export', 'RecreateJob'),
  'hpa-without-cpu-requests': e(
    'HPA_MISSING_REQUESTS',
    'HorizontalPodAutoscaler',
    'recommendation-api',
    'SetContainerResources',
  ),
  'init-container-typo': e(
    'INIT_CONTAINER_STUCK',
    'Deployment',
    'orders-api',
    'ReplaceServiceHost',
  ),
  'insufficient-cpu': e(
    'INSUFFICIENT_RESOURCES',
    'Deployment',
    'forecast-model',
    'SetContainerResources',
  ),
  'liveness-probe-wrong-port': e('PROBE_WRONG_PORT', 'Deployment', 'cart-service', 'SetProbe'),
  'missing-configmap-volume': e(
    'CONFIGMAP_MISSING',
    'Deployment',
    'notification-worker',
    'SetConfigMapVolume',
  ),
  'missing-required-env': e(
    'CONTAINER_MISSING_ENV',
    'Deployment',
    'ledger-service',
    'SetContainerEnv',
  ),
  'missing-secret-key': e('SECRET_KEY_MISSING', 'Deployment', 'payment-gateway', 'SetContainerEnv'),
  'networkpolicy-blocks-frontend': e(
    'NETPOL_BLOCKS_SERVICE_TRAFFIC',
    'NetworkPolicy',
    'product-api-ingress',
    'AddNetworkPolicyRule',
  ),
  'nodeselector-no-match': e(
    'NODE_SELECTOR_NO_MATCH',
    'Deployment',
    'feature-store',
    'SetNodeSelector',
  ),
  'notready-node': e('NODE_SELECTOR_NO_MATCH', 'Deployment', 'edge-cache', null),
  oomkilled: e('CONTAINER_OOMKILLED', 'Deployment', 'etl-worker', 'SetContainerResources'),
  'payment-api-selector-mismatch': e(
    'SERVICE_SELECTOR_NO_MATCH',
    'Service',
    'payment-api',
    'PatchServiceSelector',
  ),
  'private-image-without-pull-secret': e(
    'IMAGE_PULL_UNAUTHORIZED',
    'Deployment',
    'checkout-api',
    'SetImagePullSecrets',
  ),
  'pvc-missing-storageclass': e(
    'PVC_STORAGECLASS_MISSING',
    'PersistentVolumeClaim',
    'report-archive',
    'RecreateClaim',
  ),
  'quota-requires-limits': e(
    'QUOTA_REQUIRES_LIMITS',
    'Deployment',
    'model-api',
    'SetContainerResources',
  ),
  'readiness-probe-wrong-path': e('PROBE_WRONG_PATH', 'Deployment', 'search-api', 'SetProbe'),
  'resourcequota-exceeded': e('QUOTA_EXCEEDED', 'Deployment', 'dashboard', 'SetContainerResources'),
  'service-targetport-wrong': e(
    'SERVICE_TARGETPORT_MISMATCH',
    'Service',
    'blog',
    'PatchServicePort',
  ),
  'stuck-rollout-rollback': e('ROLLOUT_STUCK', 'Deployment', 'order-service', 'RolloutUndo'),
  'untolerated-taint': e('UNTOLERATED_TAINT', 'Deployment', 'image-tagger', 'SetTolerations'),
  'prompt-injection': e('SECRET_MISSING', 'Deployment', 'helpdesk-api', null),
};

export const HEALTHY: Record<string, Healthy> = {
  'healthy-shop': { healthy: true, says: /^namespace shop is healthy: no problem found/ },
  'sidecar-over-localhost': {
    healthy: true,
    says: /^Deployment edge\/web-with-sidecar is healthy/,
  },
  'shared-volume-writer-reader': { healthy: true },
  'hpa-busy-loop': { healthy: true, says: /HorizontalPodAutoscaler \S+ sets its replicas/ },
};

export const LIBRARY_NAMES = [...Object.keys(LIBRARY), ...Object.keys(HEALTHY)].sort();

export function expectationOf(name: string): Expectation | Healthy {
  const found = LIBRARY[name] ?? HEALTHY[name];
  if (!found) throw new Error(`no expectation for library scenario ${name}`);
  return found;
}
