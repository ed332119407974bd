/**
 * metrics.k8s.io/v1beta1, as metrics-server serves it through API aggregation: PodMetrics
 * and NodeMetrics built from the kubelets' simulated usage, read-only (get, list), so
 * `kubectl top pod|node` works. The group is not in the resource catalog (nothing is
 * stored); discovery lists it only while the simulated cluster runs.
 */
import { ApiError, methodNotAllowed, notFound } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { ResourceType } from '../resources.ts';
import { parseLabelSelector } from '../store/selectors.ts';
import type { ServerContext } from './context.ts';
import type { RequestInfo } from './request-info.ts';
import { sendJson } from './respond.ts';
import type { ServerResponse } from 'node:http';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

/** Where the usage comes from (the node side of the controllers). */
export interface MetricsSource {
  podMetricsList(namespace?: string): KObject[];
  nodeMetricsList(): KObject[];
}

const KINDS = {
  pods: { kind: 'PodMetrics', singular: 'podmetrics', namespaced: true },
  nodes: { kind: 'NodeMetrics', singular: 'nodemetrics', namespaced: false },
} as const;

export function metricsResourceList(): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
    resources: Object.entries(KINDS).map(([name, k]) => ({
      name,
      singularName: '',
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: ['get', 'list'],
    })),
  };
}

export function serveMetrics(
  ctx: ServerContext,
  res: ServerResponse,
  info: RequestInfo,
  query: URLSearchParams,
): void {
  const source = ctx.metrics;
  const kind = KINDS[info.resource as keyof typeof KINDS];
  if (!source || info.version !== METRICS_VERSION || kind === undefined || info.subresource)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (info.verb !== 'get' && info.verb !== 'list') throw methodNotAllowed();
  const all = kind.namespaced ? source.podMetricsList(info.namespace) : source.nodeMetricsList();
  const resource: ResourceType = {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    kind: kind.kind,
    plural: info.resource,
    singular: kind.singular,
    namespaced: kind.namespaced,
  };
  if (info.verb === 'get') {
    const found = all.find((m) => m.metadata.name === info.name);
    if (!found) throw notFound(resource, info.name ?? '');
    return sendJson(res, 200, found);
  }
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const items = labels ? all.filter((m) => labels(m)) : all;
  sendJson(res, 200, {
    kind: `${kind.kind}List`,
    apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
    metadata: {},
    items,
  });
}
