/**
 * The API server's service proxy over the simulated network. The API server is outside the
 * pod network (it dials from the control-plane host, 172.18.0.1 here), so NetworkPolicies
 * apply to it like to any non-pod client: a policy whose ingress rules only allow certain
 * pods or namespaces blocks the proxy, an ipBlock covering the host (or an empty `from`)
 * lets it in. That is what CNIs that enforce policy (Calico, Cilium) do on real clusters.
 * Errors use the real proxy's wording: 503 "no endpoints available for service", and 503
 * "error trying to reach service: dial tcp …" when the dial fails.
 */
import { ApiError, notFound } from '../../../api/errors.ts';
import type { ClusterApi, ProxyRequest, ProxyResponse } from '../../../api/types.ts';
import { RESOURCES } from '../../../resources.ts';
import { Network, type ServicePort } from '../network/network.ts';
import type { PodObject } from '../pod-model.ts';
import type { ServedRequest } from '../../../sim/http-log.ts';

const SERVICE = RESOURCES.find((r) => r.group === '' && r.kind === 'Service')!;
export const API_SERVER_SOURCE_IP = '172.18.0.1';

function unavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

export async function proxyToService(
  api: ClusterApi,
  network: Network,
  namespace: string,
  name: string,
  port: string,
  request: ProxyRequest,
  served?: (pod: PodObject, port: number, request: ServedRequest) => void,
): Promise<ProxyResponse> {
  const service = api.get(SERVICE, namespace, name);
  if (!service) throw notFound(SERVICE, name);
  const ports = (service['spec'] as { ports?: ServicePort[] } | undefined)?.ports ?? [];
  const sp = port === '' ? ports[0] : ports.find((p) => p.name === port || String(p.port) === port);
  const endpoints = sp ? network.endpoints(service) : [];
  if (!sp || endpoints.length === 0)
    throw unavailable(
      `no endpoints available for service "${port === '' ? name : `${name}:${port}`}"`,
    );
  let failure = '';
  for (const pod of endpoints) {
    const target = network.targetPort(sp, pod);
    if (target === undefined) continue;
    const ip = String(pod.status?.['podIP']);
    const reach = network.reachPod({ external: API_SERVER_SOURCE_IP }, pod, target);
    if (!reach.ok) {
      failure ||= `error trying to reach service: dial tcp ${ip}:${target}: ${reach.reason === 'i/o timeout' ? 'i/o timeout' : `connect: ${reach.reason}`}`;
      continue;
    }
    const answer = Network.answer(reach.listener.http, request.path);
    if (!answer) {
      failure ||= 'error trying to reach service: EOF';
      continue;
    }
    served?.(pod, target, {
      client: API_SERVER_SOURCE_IP,
      host: `${ip}:${target}`,
      method: request.method,
      path: request.path + (request.query ? `?${request.query}` : ''),
      status: answer.status,
      bytes: Buffer.byteLength(answer.body),
      agent: request.headers['user-agent'] ?? '-',
    });
    return {
      status: answer.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: request.method === 'HEAD' ? '' : answer.body,
    };
  }
  throw unavailable(failure || `no endpoints available for service "${name}"`);
}
