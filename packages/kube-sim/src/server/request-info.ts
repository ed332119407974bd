/**
 * Turns a URL path and method into what the request is about, the way kube-apiserver's
 * RequestInfoFactory does: API prefix, group/version, namespace, resource, name,
 * subresource, verb. Everything else (authorization, routing, audit) reads this.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Path segments after the subresource (the proxy path). */
  rest: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function verbOf(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export function parseRequestInfo(
  method: string,
  path: string,
  query: URLSearchParams,
): RequestInfo {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const nonResource: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method === 'GET' || method === 'HEAD' ? 'get' : verbOf(method, true, false),
    group: '',
    version: '',
    resource: '',
    rest: [],
  };
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(2);
  } else return nonResource;
  const version = rest[0]!;
  let current = rest.slice(1);
  let watch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (current[0] === 'watch') {
    watch = true;
    current = current.slice(1);
  }
  let namespace: string | undefined;
  if (current[0] === 'namespaces' && current.length > 1) {
    namespace = current[1];
    if (current.length > 2 && !NAMESPACE_SUBRESOURCES.has(current[2]!)) current = current.slice(2);
  }
  if (current.length === 0) return nonResource;
  const resource = current[0]!;
  const name = current[1];
  const subresource = current[2];
  return {
    isResourceRequest: true,
    path,
    verb: verbOf(method, name !== undefined, watch),
    group,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    resource,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    rest: current.slice(3),
  };
}
