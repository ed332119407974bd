/**
 * The second held-out set (packages/kube-sim/scenarios-fresh) and what each must be
 * diagnosed and fixed as, taken from each file's header (its fault and correct fix), not
 * from what the analyzers say. Causes are loose patterns any correct wording matches.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioExpectation } from './attempt.ts';

export const FRESH_DIR = fileURLToPath(
  new URL('../../../kube-sim/scenarios-fresh/', import.meta.url),
);

export function freshScenarios(): string[] {
  return readdirSync(FRESH_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export const freshPath = (name: string) => `${FRESH_DIR}${name}.yaml`;

export const FRESH: Record<string, ScenarioExpectation> = {
  'redis-host-stale-configmap': {
    // A ConfigMap data edit is not in the catalog: a person must edit it, naming both.
    faults: [
      {
        kind: 'Deployment',
        name: 'cart-api',
        cause: /configmap|host|address|service/i,
        fix: null,
        mentions: ['cart-api-config', 'cart-redis-master'],
      },
    ],
  },
  'keycloak-liveness-kills-slow-start': {
    faults: [
      {
        kind: 'StatefulSet',
        name: 'keycloak',
        cause: /liveness|probe|start/i,
        fix: ['SetProbe'],
      },
    ],
    healthy: [{ kind: 'StatefulSet', name: 'keycloak-db' }],
  },
  'egress-policy-missing-db-port': {
    faults: [
      {
        kind: 'NetworkPolicy',
        name: 'order-svc-egress',
        cause: /egress|polic|network|block/i,
        fix: ['AddNetworkPolicyRule'],
      },
    ],
    healthy: [
      { kind: 'StatefulSet', name: 'orders-db' },
      { kind: 'Deployment', name: 'orders-cache' },
    ],
  },
  'hpa-target-renamed': {
    // The catalog has no HPA patch: a person must retarget it at the Deployment that exists.
    faults: [
      {
        kind: 'HorizontalPodAutoscaler',
        name: 'search-api',
        cause: /target|scale|missing|not found/i,
        fix: null,
        mentions: ['search-api-v2'],
      },
    ],
  },
  'limitrange-blocks-rollout': {
    faults: [
      {
        kind: 'Deployment',
        name: 'ranker',
        cause: /limit ?range|limit/i,
        fix: ['SetContainerResources'],
      },
    ],
  },
  'reindex-job-wrong-path': {
    faults: [
      {
        kind: 'Job',
        name: 'reindex-products',
        cause: /404|path|url|backoff|fail/i,
        fix: ['RecreateJob'],
      },
    ],
    healthy: [{ kind: 'Deployment', name: 'search-indexer' }],
  },
  'traefik-toleration-value-typo': {
    faults: [
      {
        kind: 'Deployment',
        name: 'traefik',
        cause: /taint|toleration/i,
        fix: ['SetTolerations'],
      },
    ],
    healthy: [{ kind: 'DaemonSet', name: 'node-exporter' }],
  },
  'distroless-exec-probe-curl': {
    faults: [
      {
        kind: 'Deployment',
        name: 'gateway',
        cause: /probe/i,
        fix: ['SetProbe'],
        args: { probe: 'readiness' },
      },
    ],
    healthy: [
      { kind: 'Job', name: 'db-migrate-0042' },
      { kind: 'Deployment', name: 'gateway-cache' },
    ],
  },
  'two-faults-rabbitmq-oom-and-targetport': {
    faults: [
      {
        kind: 'StatefulSet',
        name: 'rabbitmq',
        cause: /oom|memory/i,
        fix: ['SetContainerResources'],
      },
      { kind: 'Service', name: 'notify-api', cause: /port/i, fix: ['PatchServicePort'] },
    ],
  },
  'healthy-odd-etl': { faults: [], quiet: true },
};
