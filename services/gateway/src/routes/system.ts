import type { FastifyInstance } from 'fastify';
import { ErrorResponse, Me, doc } from '../schemas.ts';
import { identityOf, type RouteContext } from './context.ts';

export function systemRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  ready: () => Promise<boolean>,
) {
  app.get(
    '/api/v1/me',
    {
      schema: {
        summary: 'Who you are: roles, teams, namespaces',
        tags: ['identity'],
        response: { 200: doc(Me, 'output'), 401: doc(ErrorResponse, 'output') },
      },
    },
    async (request) => {
      const { name, kind, roles, teams, namespaces, kubernetes } = identityOf(request);
      return { name, kind, roles, teams, namespaces, kubernetes };
    },
  );
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const ok = await ready().catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready' });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
