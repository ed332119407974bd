/**
 * The held-out scenario set (packages/kube-sim/scenarios-external) and what each must be
 * diagnosed and fixed as. Written with the scenarios, before the analyzers were changed for
 * them: causes are loose patterns a correct diagnosis of any wording matches, not codes.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScenarioExpectation } from './attempt.ts';

export const EXTERNAL_DIR = fileURLToPath(
  new URL('../../../kube-sim/scenarios-external/', import.meta.url),
);

export function externalScenarios(): string[] {
  return readdirSync(EXTERNAL_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export const externalPath = (name: string) => `${EXTERNAL_DIR}${name}.yaml`;

export const EXTERNAL: Record<string, ScenarioExpectation> = {
  'service-selector-wrong-key': {
    faults: [
      { kind: 'Service', name: 'catalog-web', cause: /selector/i, fix: ['PatchServiceSelector'] },
    ],
    healthy: [
      { kind: 'StatefulSet', name: 'catalog-cache' },
      { kind: 'Service', name: 'catalog-cache' },
    ],
  },
  'nginx-probes-404': {
    faults: [
      {
        kind: 'Deployment',
        name: 'docs-site',
        cause: /probe/i,
        fix: ['SetProbe'],
        args: { probe: 'liveness' },
      },
      {
        kind: 'Deployment',
        name: 'docs-site',
        cause: /probe/i,
        fix: ['SetProbe'],
        args: { probe: 'readiness' },
      },
    ],
  },
  'nginx-python-command': {
    faults: [
      {
        kind: 'Deployment',
        name: 'pdf-preview',
        cause: /command|not found|not in the image|program/i,
        fix: ['ClearCommandOverride'],
      },
    ],
  },
  'rbac-role-wrong-resource': {
    faults: [
      {
        kind: 'Deployment',
        name: 'pod-janitor',
        cause: /forbidden|permission|rbac/i,
        fix: null,
        mentions: ['list', 'pods', 'pod-janitor'],
      },
    ],
  },
  'daemonset-nodeselector-typo': {
    faults: [
      {
        kind: 'DaemonSet',
        name: 'log-shipper',
        cause: /node ?selector/i,
        fix: ['SetNodeSelector'],
      },
    ],
  },
  'statefulset-memory-above-nodes': {
    faults: [
      {
        kind: 'StatefulSet',
        name: 'tsdb',
        cause: /memory|insufficient|allocatable/i,
        fix: ['SetContainerResources'],
      },
    ],
  },
  'two-faults-oom-and-selector': {
    faults: [
      {
        kind: 'Deployment',
        name: 'invoice-api',
        cause: /oom|memory/i,
        fix: ['SetContainerResources'],
      },
      { kind: 'Service', name: 'invoice-api', cause: /selector/i, fix: ['PatchServiceSelector'] },
    ],
  },
  'readiness-tcp-wrong-port-red-herrings': {
    faults: [{ kind: 'Deployment', name: 'thumbnailer', cause: /probe|port/i, fix: ['SetProbe'] }],
    healthy: [
      { kind: 'CronJob', name: 'purge-cache' },
      { kind: 'Deployment', name: 'legacy-resizer' },
      { kind: 'Job', name: 'backfill-2024' },
    ],
  },
  'crashing-new-revision-undo': {
    faults: [
      {
        kind: 'Deployment',
        name: 'geo-api',
        cause: /crash|revision|exit|rollout/i,
        fix: ['RolloutUndo'],
      },
    ],
  },
  'nodeselector-key-typo': {
    faults: [
      {
        kind: 'Deployment',
        name: 'video-transcoder',
        cause: /node ?selector|affinity/i,
        fix: ['SetNodeSelector'],
      },
    ],
  },
  'cronjob-program-missing': {
    faults: [
      {
        kind: 'CronJob',
        name: 'db-backup',
        cause: /not found|program|command|exit|fail/i,
        fix: null,
        mentions: ['pg_dump'],
      },
    ],
  },
  'configmap-key-case': {
    faults: [
      {
        kind: 'Deployment',
        name: 'orders-worker',
        cause: /configmap|key/i,
        fix: ['SetContainerEnv'],
      },
    ],
  },
  'image-tag-typo-previous-healthy': {
    faults: [
      {
        kind: 'Deployment',
        name: 'web-frontend',
        cause: /image|tag|pull/i,
        fix: ['RolloutUndo', 'SetImage'],
      },
    ],
  },
  'service-named-port-missing': {
    faults: [{ kind: 'Service', name: 'quote-engine', cause: /port/i, fix: ['PatchServicePort'] }],
  },
  'netpol-wrong-client-labels': {
    faults: [
      {
        kind: 'NetworkPolicy',
        name: 'credit-db-ingress',
        cause: /polic|network|block/i,
        fix: ['AddNetworkPolicyRule'],
      },
    ],
  },
  'secret-keyref-name-typo': {
    faults: [
      { kind: 'Deployment', name: 'refund-service', cause: /secret/i, fix: ['SetContainerEnv'] },
    ],
  },
  'healthy-with-noise': { faults: [], quiet: true },
};
