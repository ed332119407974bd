/**
 * Versions that share storage: core/v1 and events.k8s.io/v1 Events (stored as core/v1),
 * autoscaling/v1 and v2 HorizontalPodAutoscalers (stored as v2). Objects are converted on
 * the way in and out, like the API server's conversion between a group's versions.
 */
import type { KObject } from './types.ts';
import { RESOURCES, type ResourceType } from '../resources.ts';

type Map = Record<string, unknown>;

/** The key objects of `resource` are stored under (shared by versions of the same objects). */
export function storageKeyOf(resource: ResourceType): string {
  if (resource.kind === 'Event') return 'events';
  return `${resource.group}/${resource.plural}`;
}

/** The resource whose version objects are stored in. */
export function storageResourceOf(resource: ResourceType): ResourceType {
  if (resource.kind === 'Event')
    return RESOURCES.find((r) => r.group === '' && r.plural === 'events')!;
  if (resource.kind === 'HorizontalPodAutoscaler')
    return RESOURCES.find((r) => r.group === 'autoscaling' && r.version === 'v2')!;
  return resource;
}

export function needsConversion(resource: ResourceType): boolean {
  return storageResourceOf(resource) !== resource;
}

const EVENT_FIELDS: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedCount', 'count'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedSource', 'source'],
  ['reportingController', 'reportingComponent'],
];

function renameFields(object: KObject, pairs: [string, string][], apiVersion: string): KObject {
  const out: Map = { ...object, apiVersion };
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out as KObject;
}

function hpaToV1(object: KObject): KObject {
  const spec = { ...((object['spec'] ?? {}) as Map) };
  const metrics = (spec['metrics'] as Map[] | undefined) ?? [];
  delete spec['metrics'];
  delete spec['behavior'];
  const cpu = metrics.find((m) => (m['resource'] as Map | undefined)?.['name'] === 'cpu');
  const target = ((cpu?.['resource'] as Map | undefined)?.['target'] ?? {}) as Map;
  if (target['averageUtilization'] !== undefined)
    spec['targetCPUUtilizationPercentage'] = target['averageUtilization'];
  const status = { ...((object['status'] ?? {}) as Map) };
  const current = ((status['currentMetrics'] as Map[] | undefined) ?? []).find(
    (m) => (m['resource'] as Map | undefined)?.['name'] === 'cpu',
  );
  delete status['currentMetrics'];
  delete status['conditions'];
  const cur = ((current?.['resource'] as Map | undefined)?.['current'] ?? {}) as Map;
  if (cur['averageUtilization'] !== undefined)
    status['currentCPUUtilizationPercentage'] = cur['averageUtilization'];
  return { ...object, apiVersion: 'autoscaling/v1', spec, status };
}

function hpaToV2(object: KObject): KObject {
  const spec = { ...((object['spec'] ?? {}) as Map) };
  const cpu = spec['targetCPUUtilizationPercentage'];
  delete spec['targetCPUUtilizationPercentage'];
  if (cpu !== undefined)
    spec['metrics'] = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } },
      },
    ];
  const status = { ...((object['status'] ?? {}) as Map) };
  const current = status['currentCPUUtilizationPercentage'];
  delete status['currentCPUUtilizationPercentage'];
  if (current !== undefined)
    status['currentMetrics'] = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } },
    ];
  return { ...object, apiVersion: 'autoscaling/v2', spec, status };
}

/** Converts an object sent to `resource`'s version into the stored version. */
export function toStorage(resource: ResourceType, object: KObject): KObject {
  if (!needsConversion(resource)) return object;
  if (resource.kind === 'Event') return renameFields(object, EVENT_FIELDS, 'v1');
  return hpaToV2(object);
}

/** Converts a stored object into `resource`'s version. */
export function fromStorage(resource: ResourceType, object: KObject): KObject {
  if (!needsConversion(resource)) return object;
  if (resource.kind === 'Event')
    return renameFields(
      object,
      EVENT_FIELDS.map(([a, b]) => [b, a] as [string, string]),
      'events.k8s.io/v1',
    );
  return hpaToV1(object);
}
