import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClusterUnreachableError, KubeApiError } from '@opsloop/kube-tools';
import { DnsLabel } from '@opsloop/contracts';
import { ApiCode, ApiError, forbidden } from '../errors.ts';
import { FindingsUnavailable, type NamespaceFindings } from '../kube/findings.ts';
import { ErrorResponse, doc } from '../schemas.ts';
import { ownsNamespace } from '../users/directory.ts';
import { identityOf, parse } from './context.ts';

export const NamespaceParams = z.strictObject({ namespace: DnsLabel });

/**
 * The analyzers' current findings for one namespace a team of the caller owns (any role may
 * read them: they are what `opsloop diagnose` shows). Read with the gateway's own read-only
 * identity, cached briefly (see FindingsSource).
 */
export function findingRoutes(
  app: FastifyInstance,
  findings: ((namespace: string) => Promise<NamespaceFindings>) | undefined,
) {
  app.get(
    '/api/v1/namespaces/:namespace/findings',
    {
      schema: {
        summary: "The analyzers' current findings in a namespace your teams own",
        tags: ['cluster'],
        params: doc(NamespaceParams),
        response: {
          200: { type: 'object' },
          401: doc(ErrorResponse, 'output'),
          403: doc(ErrorResponse, 'output'),
          503: doc(ErrorResponse, 'output'),
        },
      },
    },
    async (request) => {
      const identity = identityOf(request);
      const { namespace } = parse(NamespaceParams, request.params, 'path');
      if (!ownsNamespace(identity, namespace)) {
        throw forbidden(`none of your teams owns namespace ${namespace}`, ApiCode.NotTeamOwner);
      }
      if (findings === undefined) {
        throw new ApiError(503, ApiCode.Unavailable, 'this gateway reads no cluster findings');
      }
      try {
        return await findings(namespace);
      } catch (error) {
        if (
          error instanceof FindingsUnavailable ||
          error instanceof ClusterUnreachableError ||
          error instanceof KubeApiError
        ) {
          request.log.warn({ err: error, namespace }, 'findings unavailable');
          throw new ApiError(
            503,
            ApiCode.Unavailable,
            'the cluster could not be read right now; retry in a moment',
          );
        }
        throw error;
      }
    },
  );
}
