import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginRefused, type LoginSettings } from '../auth/login.ts';
import { ApiCode, ApiError } from '../errors.ts';
import { ErrorResponse, doc } from '../schemas.ts';
import { parse } from './context.ts';

/** Paths under /api/v1 that need no bearer token: they are how one gets a token. */
export const PUBLIC_PATHS = new Set(['/api/v1/auth/config', '/api/v1/auth/oidc/token']);

export const TokenBody = z.strictObject({
  code: z.string().min(1).max(4096),
  codeVerifier: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{43,128}$/, 'must be a PKCE code verifier (RFC 7636)'),
  redirectUri: z.url().max(2048),
});

export function authRoutes(app: FastifyInstance, login: LoginSettings) {
  app.get(
    '/api/v1/auth/config',
    {
      schema: {
        summary: 'How to sign in: whether OIDC is configured, its issuer, client id, authorize URL',
        tags: ['identity'],
        security: [],
        response: { 200: { type: 'object' } },
      },
    },
    async () => login.config(),
  );
  app.post(
    '/api/v1/auth/oidc/token',
    {
      schema: {
        summary: 'Redeem an OIDC authorization code (PKCE) for the ID token used as bearer token',
        tags: ['identity'],
        security: [],
        body: doc(TokenBody),
        response: { 200: { type: 'object' }, 400: doc(ErrorResponse, 'output') },
      },
    },
    async (request) => {
      const body = parse(TokenBody, request.body, 'request body');
      try {
        return { idToken: await login.exchange(body.code, body.codeVerifier, body.redirectUri) };
      } catch (error) {
        if (error instanceof LoginRefused)
          throw new ApiError(401, ApiCode.Unauthenticated, error.message);
        throw error;
      }
    },
  );
}
