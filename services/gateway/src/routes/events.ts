import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { OpsEvent } from '@opsloop/contracts';
import { canSee } from '../approvals/policy.ts';
import { notFound } from '../errors.ts';
import { ErrorResponse, OperationParams, doc } from '../schemas.ts';
import { identityOf, loadView, parse, type RouteContext } from './context.ts';

const LastEventId = /^\d{1,9}$/;

/**
 * An operation's events. As Server-Sent Events (default): `id` is the event's position in
 * the operation (1, 2, …), so a reconnect with `Last-Event-ID: n` resumes after the n-th
 * event with nothing missed or repeated; a comment line every `heartbeatMs` keeps proxies
 * from closing an idle stream. With `Accept: application/json`: the events so far, as an array of the envelopes exactly
 * as stored, so their hash chain verifies.
 */
export function eventRoutes(app: FastifyInstance, ctx: RouteContext) {
  const open = new Set<ServerResponse>();
  // Streams never end by themselves: close them so the server can stop.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
  app.get(
    '/api/v1/operations/:id/events',
    {
      schema: {
        summary: "The operation's events: text/event-stream (resumable), or a JSON array",
        tags: ['operations'],
        params: doc(OperationParams),
        response: {
          200: { type: 'array', items: { type: 'object' } },
          401: doc(ErrorResponse, 'output'),
          404: doc(ErrorResponse, 'output'),
        },
      },
    },
    async (request, reply) => {
      const identity = identityOf(request);
      const { id } = parse(OperationParams, request.params, 'path');
      const view = await loadView(ctx, id);
      if (view === null || !canSee(identity, view)) throw notFound();
      const accept = request.headers.accept ?? '';
      if (accept.includes('application/json') && !accept.includes('text/event-stream')) {
        // Exactly as stored (not upcast): the export then verifies with `opsloop audit verify`.
        return ctx.log.readRaw(id);
      }
      const header = request.headers['last-event-id'];
      const resumeFrom =
        typeof header === 'string' && LastEventId.test(header.trim()) ? Number(header.trim()) : 0;
      reply.hijack();
      stream(ctx, id, resumeFrom, reply.raw);
    },
  );
}

function stream(ctx: RouteContext, opId: string, resumeFrom: number, raw: ServerResponse) {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  raw.write('retry: 2000\n\n');
  let sent = resumeFrom;
  let live = false;
  const buffered: [OpsEvent, number][] = [];
  const send = (event: OpsEvent, version: number) => {
    if (version <= sent) return;
    sent = version;
    raw.write(`id: ${version}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  // Subscribe before reading the history, so an event appended in between is buffered, not lost.
  const unsubscribe = ctx.store.subscribe(opId, (event, version) => {
    if (live) send(event, version);
    else buffered.push([event, version]);
  });
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), ctx.heartbeatMs);
  ctx.metrics.streams.inc();
  let closed = false;
  raw.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    ctx.metrics.streams.dec();
  });
  ctx.log.read(opId).then(
    ({ events }) => {
      if (closed) return;
      events.forEach((event, index) => send(event, index + 1));
      live = true;
      for (const [event, version] of buffered.splice(0)) send(event, version);
    },
    () => raw.end(),
  );
}
