import type { FastifyInstance } from 'fastify';
import { decideApproval } from '../approvals/decide.ts';
import { ApprovalBody, DecisionResponse, ErrorResponse, OperationParams, doc } from '../schemas.ts';
import { identityOf, parse, type RouteContext } from './context.ts';

const error = doc(ErrorResponse, 'output');

export function approvalRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post(
    '/api/v1/operations/:id/approval',
    {
      schema: {
        summary: 'Approve or reject the current plan (bound to its planHash)',
        tags: ['approvals'],
        params: doc(OperationParams),
        body: doc(ApprovalBody),
        response: {
          200: doc(DecisionResponse, 'output'),
          400: error,
          401: error,
          403: error,
          404: error,
          409: error,
          410: error,
        },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const { id } = parse(OperationParams, request.params, 'path');
      const body = parse(ApprovalBody, request.body, 'request body');
      const { answer, appended } = await decideApproval(ctx.approvals, identity, id, body);
      if (appended) ctx.metrics.decisions.inc({ decision: body.decision });
      request.log.info(
        {
          opId: id,
          user: identity.name,
          decision: body.decision,
          eventId: answer.eventId,
          appended,
        },
        'approval decision',
      );
      return answer;
    },
  );
}
