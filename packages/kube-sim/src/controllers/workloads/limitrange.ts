/**
 * The LimitRanger admission plugin for pods: containers without requests/limits get the
 * LimitRange's defaultRequest/default (recorded in the `kubernetes.io/limit-ranger`
 * annotation), then min/max/maxLimitRequestRatio are enforced per Container and per Pod
 * with the API server's messages ("maximum cpu usage per Container is 800m, but limit is 1500m").
 * It must run before the quota plugin so quota sees the defaulted values.
 */
import { ApiError } from '../../api/errors.ts';
import type { AdmissionPlugin, ClusterApi, KObject } from '../../api/types.ts';
import { R } from './kinds.ts';
import { at } from './objects.ts';
import { milliOf } from '../../quantity.ts';

interface LimitItem {
  type: string;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  min?: Record<string, string>;
  max?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** Applies defaults in place to `pod` (an admission object); returns the annotation text or undefined. */
export function applyDefaults(pod: KObject, items: LimitItem[]): string | undefined {
  const notes: string[] = [];
  const containers = [
    ...(at<Container[]>(pod, 'spec', 'initContainers') ?? []),
    ...(at<Container[]>(pod, 'spec', 'containers') ?? []),
  ];
  for (const item of items.filter((i) => i.type === 'Container')) {
    for (const c of containers) {
      const requests = { ...c.resources?.requests };
      const limits = { ...c.resources?.limits };
      const setRequests: string[] = [];
      const setLimits: string[] = [];
      for (const [res, value] of Object.entries(item.default ?? {})) {
        if (limits[res] === undefined) {
          limits[res] = value;
          setLimits.push(res);
        }
      }
      for (const [res, value] of Object.entries(item.defaultRequest ?? {})) {
        if (requests[res] === undefined) {
          requests[res] = value;
          setRequests.push(res);
        }
      }
      // Without a defaultRequest, the request defaults to the (possibly defaulted) limit.
      for (const [res, value] of Object.entries(item.default ?? {})) {
        if (requests[res] === undefined && c.resources?.requests?.[res] === undefined) {
          requests[res] = limits[res] ?? value;
          setRequests.push(res);
        }
      }
      if (setRequests.length + setLimits.length === 0) continue;
      c.resources = { ...c.resources, requests, limits };
      if (setRequests.length > 0)
        notes.push(`${setRequests.join(', ')} request for ${kindOf(pod, c)} ${c.name}`);
      if (setLimits.length > 0)
        notes.push(`${setLimits.join(', ')} limit for ${kindOf(pod, c)} ${c.name}`);
    }
  }
  return notes.length > 0 ? `LimitRanger plugin set: ${notes.join('; ')}` : undefined;
}

function kindOf(pod: KObject, c: Container): string {
  return (at<Container[]>(pod, 'spec', 'initContainers') ?? []).includes(c)
    ? 'init container'
    : 'container';
}

/** Every min/max/ratio violation, worded like the LimitRanger plugin. */
export function violations(pod: KObject, items: LimitItem[]): string[] {
  const errors: string[] = [];
  const containers = at<Container[]>(pod, 'spec', 'containers') ?? [];
  const check = (
    scope: string,
    res: string,
    item: LimitItem,
    request: string | undefined,
    limit: string | undefined,
  ) => {
    const min = item.min?.[res];
    const max = item.max?.[res];
    const ratio = item.maxLimitRequestRatio?.[res];
    if (min !== undefined) {
      if (request === undefined)
        errors.push(`minimum ${res} usage per ${scope} is ${min}.  No request is specified`);
      else if (milliOf(request) < milliOf(min))
        errors.push(`minimum ${res} usage per ${scope} is ${min}, but request is ${request}`);
    }
    if (max !== undefined) {
      if (limit === undefined)
        errors.push(`maximum ${res} usage per ${scope} is ${max}.  No limit is specified`);
      else if (milliOf(limit) > milliOf(max))
        errors.push(`maximum ${res} usage per ${scope} is ${max}, but limit is ${limit}`);
    }
    if (
      ratio !== undefined &&
      request !== undefined &&
      limit !== undefined &&
      milliOf(request) > 0
    ) {
      const actual = milliOf(limit) / milliOf(request);
      if (actual > milliOf(ratio) / 1000)
        errors.push(
          `${res} max limit to request ratio per ${scope} is ${ratio}, but provided ratio is ${actual.toFixed(6)}`,
        );
    }
  };
  for (const item of items) {
    const resources = new Set([
      ...Object.keys(item.min ?? {}),
      ...Object.keys(item.max ?? {}),
      ...Object.keys(item.maxLimitRequestRatio ?? {}),
    ]);
    for (const res of resources) {
      if (item.type === 'Container') {
        for (const c of containers)
          check('Container', res, item, c.resources?.requests?.[res], c.resources?.limits?.[res]);
      } else if (item.type === 'Pod') {
        const sum = (kind: 'requests' | 'limits') => {
          const values = containers.map((c) => c.resources?.[kind]?.[res]);
          if (values.some((v) => v === undefined)) return undefined;
          const total = values.reduce((s, v) => s + milliOf(v), 0);
          return total % 1000 === 0 ? String(total / 1000) : `${total}m`;
        };
        check('Pod', res, item, sum('requests'), sum('limits'));
      }
    }
  }
  return errors;
}

export function limitRangeAdmission(api: ClusterApi): AdmissionPlugin {
  return ({ operation, resource, subresource, object }) => {
    if (
      operation !== 'CREATE' ||
      resource.kind !== 'Pod' ||
      resource.group !== '' ||
      subresource ||
      !object
    )
      return;
    const ranges = api.list(R.limitRanges, object.metadata.namespace);
    if (ranges.length === 0) return;
    const items = ranges.flatMap((lr) => at<LimitItem[]>(lr, 'spec', 'limits') ?? []);
    const note = applyDefaults(object, items);
    if (note)
      object.metadata.annotations = {
        ...object.metadata.annotations,
        'kubernetes.io/limit-ranger': note,
      };
    const errors = violations(object, items);
    if (errors.length === 0) return;
    const name = object.metadata.name ?? '';
    const message = errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
    throw new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: ${message}`, {
      name,
      kind: 'pods',
    });
  };
}
