import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { Logger } from 'pino';
import type { Step } from '@opsloop/contracts';
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './approvals/policy.ts';
import { authenticate } from './auth/authenticate.ts';
import { LoginSettings } from './auth/login.ts';
import { OidcVerifier } from './auth/oidc.ts';
import { TokenVerifier } from './auth/tokens.ts';
import { ApiCode, ApiError } from './errors.ts';
import type { KubeSubject, StepAccessReview } from './kube/access.ts';
import type { NamespaceFindings } from './kube/findings.ts';
import { GatewayMetrics } from './metrics.ts';
import type { OperationStore, OpsLog } from './model/store.ts';
import { approvalRoutes } from './routes/approval.ts';
import { PUBLIC_PATHS, authRoutes } from './routes/auth.ts';
import type { RouteContext } from './routes/context.ts';
import { eventRoutes } from './routes/events.ts';
import { findingRoutes } from './routes/findings.ts';
import { operationRoutes } from './routes/operations.ts';
import { systemRoutes } from './routes/system.ts';
import { Directory } from './users/directory.ts';
import type { UsersFile } from './users/schema.ts';
import { tokenDigest } from './users/tokens.ts';

export interface GatewayOptions {
  users: UsersFile;
  log: OpsLog;
  store: OperationStore;
  /** `cluster.identity()` of the gateway's kubeconfig (the kube-system namespace uid). */
  clusterId: () => Promise<string>;
  /** SubjectAccessReview of every step (kube-tools' reviewStepAccess shape). */
  reviewAccess: (subject: KubeSubject, steps: readonly Step[]) => Promise<StepAccessReview>;
  /** The analyzers' findings in a namespace (FindingsSource); absent: the route answers 503. */
  findings?: (namespace: string) => Promise<NamespaceFindings>;
  /** NATS and the stream reachable and correctly configured. */
  ready: () => Promise<boolean>;
  policy?: ApprovalPolicy;
  /** Built console to serve at /; absent or missing directory: API only. */
  webDir?: string | undefined;
  /** Origins allowed by CORS; none (the default) turns CORS off. */
  corsOrigins?: string[];
  rateLimit?: { max: number; timeWindowMs: number };
  heartbeatMs?: number;
  logger?: Logger | false;
  metrics?: GatewayMetrics;
  now?: () => Date;
}

const BODY_LIMIT = 64 * 1024;

/** The gateway's HTTP app, not listening: tests drive it with inject(), main.ts calls listen(). */
export async function build(options: GatewayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance:
      options.logger === false || options.logger === undefined ? undefined : options.logger,
    logger: options.logger === false ? false : undefined,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // Errors raised before routing (a malformed URL): the same error shape as everything else.
    frameworkErrors: (
      error: FastifyError,
      _request: unknown,
      reply: { code(n: number): { send(b: unknown): void } },
    ) => {
      reply
        .code(400)
        .send(
          new ApiError(
            400,
            ApiCode.Validation,
            `the request is malformed: ${error.code === 'FST_ERR_BAD_URL' ? 'invalid URL' : 'invalid request'}`,
          ).body(),
        );
    },
  } as never) as unknown as FastifyInstance;
  const directory = new Directory(options.users);
  const tokens = new TokenVerifier(directory);
  const oidc =
    options.users.oidc === undefined ? undefined : new OidcVerifier(options.users.oidc, directory);
  const metrics = options.metrics ?? new GatewayMetrics();
  const now = options.now ?? (() => new Date());
  const policy = options.policy ?? DEFAULT_APPROVAL_POLICY;
  const ctx: RouteContext = {
    log: options.log,
    store: options.store,
    policy,
    metrics,
    now,
    clusterId: options.clusterId,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    approvals: {
      log: options.log,
      store: options.store,
      policy,
      reviewAccess: options.reviewAccess,
      now,
    },
  };

  // zod validates in the handlers (one error shape); the route schemas are documentation.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest('identity', null);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Opsloop gateway API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(helmet, { global: true });
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins, credentials: false });
  }
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit?.max ?? 1200,
    timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
    // Per token (hashed), else per client address.
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return typeof auth === 'string' && auth !== ''
        ? `t:${tokenDigest(auth)}`
        : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        ApiCode.RateLimited,
        `rate limit exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    if (PUBLIC_PATHS.has(request.url.split('?')[0]!)) return;
    request.identity = await authenticate(request.headers.authorization, tokens, oidc);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });
  installErrorHandling(app, metrics, await serveConsole(app, options.webDir));

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  operationRoutes(app, ctx);
  eventRoutes(app, ctx);
  approvalRoutes(app, ctx);
  findingRoutes(app, options.findings);
  authRoutes(app, new LoginSettings(options.users.oidc));
  systemRoutes(app, ctx, options.ready);
  return app;
}

/** Every error leaves as `{error: {code, message, ...}}`; a 5xx never says what went wrong inside. */
function installErrorHandling(app: FastifyInstance, metrics: GatewayMetrics, console: boolean) {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const api = toApiError(error);
    const route = request.routeOptions.url ?? 'unmatched';
    if (api.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      metrics.refusals.inc({ route, code: api.code });
      request.log.warn(
        {
          code: api.code,
          user: request.identity?.name,
          route,
          status: api.status,
          reason: api.message,
        },
        'request refused',
      );
    }
    return reply.code(api.status).type('application/json; charset=utf-8').send(api.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // Client-side routes of the console (e.g. /operations/op-1) get its index.html.
    if (console && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('.')) {
      return reply.sendFile('index.html');
    }
    metrics.refusals.inc({ route: 'unmatched', code: ApiCode.NotFound });
    const error = new ApiError(
      404,
      ApiCode.NotFound,
      `no route ${request.method} ${path.slice(0, 200)}`,
    );
    return reply.code(404).send(error.body());
  });
}

function toApiError(error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error;
  const status = (error as FastifyError).statusCode ?? 500;
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ApiError(413, ApiCode.PayloadTooLarge, `the body exceeds ${BODY_LIMIT} bytes`);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ApiError(415, ApiCode.UnsupportedMediaType, 'send the body as application/json');
  if (status === 429) return new ApiError(429, ApiCode.RateLimited, 'rate limit exceeded');
  if (status === 405) return new ApiError(405, ApiCode.MethodNotAllowed, 'method not allowed');
  if (status === 406) return new ApiError(406, ApiCode.NotAcceptable, 'not acceptable');
  if (status >= 400 && status < 500)
    return new ApiError(
      status,
      ApiCode.Validation,
      'the request is malformed (check the JSON body and headers)',
    );
  if (status === 503)
    return new ApiError(503, ApiCode.Unavailable, 'the gateway is not available right now; retry');
  return new ApiError(500, ApiCode.Internal, 'internal error');
}

/** Serves the built console when `webDir` holds one; returns whether it does. */
async function serveConsole(app: FastifyInstance, webDir: string | undefined): Promise<boolean> {
  if (webDir === undefined) return false;
  const root = resolve(webDir);
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(
      { webDir: root },
      'no built console there (index.html missing); serving the API only',
    );
    return false;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  return true;
}
