import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, delimiter } from 'node:path';
import {
  AppsV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  PolicyV1Api,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import type {
  Configuration,
  HttpLibrary,
  HttpMethod,
  RequestContext,
} from '@kubernetes/client-node';
import {
  ClusterIdentityError,
  ClusterUnreachableError,
  KubeApiError,
  KubeconfigError,
} from './errors.ts';
import { objectPath } from './kinds.ts';
import type { KubeList, KubeObject } from './types.ts';

export interface ConnectOptions {
  kubeconfigPath?: string;
  kubeconfigText?: string;
  context?: string;
  /** Per-request timeout; a hung API server must not hang a diagnosis. */
  timeoutMs?: number;
  /** Environment to resolve KUBECONFIG/HOME from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * The User-Agent of every request (e.g. "opsloop-executor/0.1.0"), so the API server's
   * audit log says which Opsloop service made it.
   */
  userAgent?: string;
}

export interface RequestStats {
  requests: number;
  bytesRead: number;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Return the body as text instead of parsing JSON (pod logs). */
  text?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

/**
 * Counts every request and every response byte that passes through client-node's HTTP
 * layer. It wraps the library client-node itself uses, so the typed APIs and our raw
 * requests are counted alike.
 */
function countingHttpLibrary(userAgent: string | undefined): {
  http: HttpLibrary;
  stats: RequestStats;
} {
  const stats: RequestStats = { requests: 0, bytesRead: 0 };
  const inner = new IsomorphicFetchHttpLibrary();
  const http = wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      stats.requests += 1;
      if (userAgent !== undefined) request.setHeaderParam('User-Agent', userAgent);
      const response = await inner.send(request).toPromise();
      const buffer = await response.body.binary();
      stats.bytesRead += buffer.length;
      return new ResponseContext(response.httpStatusCode, response.headers, {
        text: async () => buffer.toString('utf8'),
        binary: async () => buffer,
      });
    },
  });
  return { http, stats };
}

export interface Cluster {
  readonly server: string;
  readonly contextName: string;
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  readonly networking: NetworkingV1Api;
  readonly autoscaling: AutoscalingV2Api;
  readonly policy: PolicyV1Api;
  readonly authorization: AuthorizationV1Api;
  readonly customObjects: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
  request<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    options?: RequestOptions,
  ): Promise<T>;
  /** The object, or null when it does not exist. */
  get(kind: string, namespace: string | null, name: string): Promise<KubeObject | null>;
  list(
    kind: string,
    namespace: string | null,
    options?: { labelSelector?: string; fieldSelector?: string },
  ): Promise<KubeObject[]>;
  patch(
    kind: string,
    namespace: string | null,
    name: string,
    patch: { type: PatchType; body: unknown },
    options?: WriteOptions,
  ): Promise<KubeObject>;
  create(
    kind: string,
    namespace: string | null,
    body: KubeObject,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  remove(
    kind: string,
    namespace: string | null,
    name: string,
    options?: WriteOptions & { preconditions?: { uid?: string; resourceVersion?: string } },
  ): Promise<void>;
  /**
   * Secret names and key names only. Kubernetes cannot list key names without the data
   * (PartialObjectMetadata carries no keys), so the values do reach this process in the
   * list response; they are dropped right here, before anything else sees them, and are
   * never logged, stored or returned. Callers that only need names should use
   * `secretNames`, which asks for metadata only and never receives a value.
   */
  secretKeys(namespace: string): Promise<{ name: string; type: string; keys: string[] }[]>;
  /** Secret names only, fetched as PartialObjectMetadataList: no value crosses the wire. */
  secretNames(namespace: string): Promise<string[]>;
  /**
   * The cluster's id: the uid of its kube-system namespace, alone. The same cluster reached
   * by another URL (localhost vs 127.0.0.1, a load balancer) or as another identity has the
   * same id; plans and operations name it. Throws ClusterIdentityError
   * (OPS_ERR_CLUSTER_IDENTITY) when the namespace cannot be read (grant `get namespaces
   * kube-system`), never an empty or made-up id.
   */
  identity(): Promise<string>;
  stats(): RequestStats;
  resetStats(): void;
}

export function loadKubeConfig(options: ConnectOptions): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  try {
    if (options.kubeconfigText !== undefined) {
      kc.loadFromString(options.kubeconfigText);
    } else if (options.kubeconfigPath !== undefined) {
      if (!existsSync(options.kubeconfigPath)) {
        throw new KubeconfigError(
          `kubeconfig file ${options.kubeconfigPath} does not exist; pass --kubeconfig with an existing file`,
          { path: options.kubeconfigPath },
        );
      }
      kc.loadFromFile(options.kubeconfigPath);
    } else {
      const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((path) => path !== '');
      const home = env.HOME ?? homedir();
      const candidates = fromEnv.length > 0 ? fromEnv : [join(home, '.kube', 'config')];
      const present = candidates.filter((path) => existsSync(path));
      if (present.length === 0) {
        if (env.KUBERNETES_SERVICE_HOST) {
          kc.loadFromCluster();
        } else {
          throw new KubeconfigError(
            `no kubeconfig found (looked at ${candidates.join(', ')}); pass --kubeconfig FILE or set KUBECONFIG`,
            { candidates },
          );
        }
      } else if (present.length === 1) {
        kc.loadFromFile(present[0]!);
      } else {
        // Same merge rules kubectl applies to a KUBECONFIG list.
        const saved = process.env.KUBECONFIG;
        process.env.KUBECONFIG = present.join(delimiter);
        try {
          kc.loadFromDefault();
        } finally {
          if (saved === undefined) delete process.env.KUBECONFIG;
          else process.env.KUBECONFIG = saved;
        }
      }
    }
  } catch (error) {
    if (error instanceof KubeconfigError) throw error;
    throw new KubeconfigError(
      `cannot read the kubeconfig: ${(error as Error).message}; check that it is valid YAML`,
    );
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((context) => context.name);
      throw new KubeconfigError(
        `context "${options.context}" is not in the kubeconfig (known: ${known.join(', ') || 'none'}); pass one of those with --context`,
        { context: options.context, known },
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentContext() || !kc.getContextObject(kc.getCurrentContext())) {
    const known = kc.getContexts().map((context) => context.name);
    throw new KubeconfigError(
      `the kubeconfig has no current context; pass --context (known: ${known.join(', ') || 'none'}) or run kubectl config use-context`,
      { known },
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeconfigError(
      `context "${kc.getCurrentContext()}" names a cluster that is not in the kubeconfig; fix the context entry`,
    );
  }
  return kc;
}

export async function connectCluster(options: ConnectOptions = {}): Promise<Cluster> {
  const kc = loadKubeConfig(options);
  const server = kc.getCurrentCluster()!.server;
  const { http, stats: httpStats } = countingHttpLibrary(options.userAgent);
  const config: Configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    httpApi: http,
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  let identity: string | undefined;

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const ctx = config.baseServer.makeRequestContext(path, method as HttpMethod);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) ctx.setQueryParam(key, String(value));
    }
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(opts.body));
    }
    ctx.setSignal(AbortSignal.timeout(timeoutMs));
    await kc.applySecurityAuthentication(ctx);
    let response: ResponseContext;
    try {
      response = await http.send(ctx).toPromise();
    } catch (error) {
      throw new ClusterUnreachableError(server, error);
    }
    const text = await response.body.text();
    if (response.httpStatusCode >= 400) {
      let reason = 'Error';
      let message = text.slice(0, 500);
      try {
        const status = JSON.parse(text) as { reason?: string; message?: string };
        reason = status.reason ?? reason;
        message = status.message ?? message;
      } catch {
        // not a Status object; keep the raw text
      }
      throw new KubeApiError(response.httpStatusCode, reason, message, `${method} ${path}`);
    }
    if (opts.text) return text as T;
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  const write = (o: WriteOptions = {}) => ({
    dryRun: o.dryRun ? 'All' : undefined,
    fieldManager: o.fieldManager,
  });

  const cluster: Cluster = {
    server,
    contextName: kc.getCurrentContext(),
    kubeConfig: kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    batch: new BatchV1Api(config),
    networking: new NetworkingV1Api(config),
    autoscaling: new AutoscalingV2Api(config),
    policy: new PolicyV1Api(config),
    authorization: new AuthorizationV1Api(config),
    customObjects: new CustomObjectsApi(config),
    objects: new KubernetesObjectApi(config),
    request: request as Cluster['request'],
    async get(kind, namespace, name) {
      try {
        return await request<KubeObject>('GET', objectPath(kind, namespace, name));
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return null;
        throw error;
      }
    },
    async list(kind, namespace, opts = {}) {
      const list = await request<KubeList>('GET', objectPath(kind, namespace), {
        query: { ...opts },
      });
      const apiVersion = (list as { apiVersion?: string }).apiVersion;
      // Lists omit apiVersion/kind on items; put them back so objects are self-describing.
      return list.items.map((item) => ({
        ...item,
        apiVersion: item.apiVersion ?? apiVersion,
        kind: item.kind ?? kind,
      }));
    },
    patch(kind, namespace, name, patch, opts) {
      const body = patch.type === 'apply' ? patch.body : patch.body;
      return request<KubeObject>('PATCH', objectPath(kind, namespace, name), {
        body,
        contentType: PATCH_CONTENT_TYPE[patch.type],
        query: write(opts),
      });
    },
    create(kind, namespace, body, opts) {
      return request<KubeObject>('POST', objectPath(kind, namespace), { body, query: write(opts) });
    },
    async remove(kind, namespace, name, opts = {}) {
      await request('DELETE', objectPath(kind, namespace, name), {
        query: write(opts),
        body: opts.preconditions
          ? { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: opts.preconditions }
          : undefined,
      });
    },
    async secretKeys(namespace) {
      const list = await request<KubeList>('GET', objectPath('Secret', namespace));
      return list.items.map((secret) => ({
        name: secret.metadata.name,
        type: String(secret.type ?? 'Opaque'),
        keys: [
          ...Object.keys((secret.data as object) ?? {}),
          ...Object.keys((secret.stringData as object) ?? {}),
        ].sort(),
      }));
    },
    async secretNames(namespace) {
      // Only the metadata list is acceptable (no plain-JSON fallback): a server that cannot
      // answer it (API servers before 1.15) gets a 406 here instead of sending us the data.
      const list = await request<KubeList & { kind?: string }>(
        'GET',
        objectPath('Secret', namespace),
        {
          accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
        },
      );
      if (list.kind !== 'PartialObjectMetadataList')
        throw new KubeApiError(
          406,
          'NotAcceptable',
          `the API server answered ${String(list.kind)} instead of PartialObjectMetadataList; Secret names are only read as metadata`,
          objectPath('Secret', namespace),
        );
      return list.items.map((item) => item.metadata.name);
    },
    async identity() {
      if (identity !== undefined) return identity;
      let uid: unknown;
      try {
        const ns = await request<KubeObject>('GET', '/api/v1/namespaces/kube-system');
        uid = ns.metadata?.uid;
      } catch (error) {
        if (error instanceof KubeApiError) throw new ClusterIdentityError(server, error);
        throw error; // unreachable: ClusterUnreachableError, retryable
      }
      if (typeof uid !== 'string' || uid === '')
        throw new ClusterIdentityError(server, new Error('the kube-system namespace has no uid'));
      identity = uid;
      return identity;
    },
    stats: () => ({ ...httpStats }),
    resetStats() {
      httpStats.requests = 0;
      httpStats.bytesRead = 0;
    },
  };
  return cluster;
}
