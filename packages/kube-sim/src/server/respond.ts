/** Writing answers: JSON bodies, Status errors, request bodies in JSON or YAML. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../api/errors.ts';
import { decodeProtobufObject, PROTOBUF } from './protobuf.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendText(res, code, typeof body === 'string' ? body : JSON.stringify(body));
}

/** Sends an already serialised JSON document. */
export function sendText(
  res: ServerResponse,
  code: number,
  text: string,
  contentType = 'application/json',
): void {
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): number {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(
          500,
          'InternalError',
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (!res.headersSent) sendJson(res, apiError.code, apiError.toStatus());
  else res.end();
  return apiError.code;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON (or, for apply patches and YAML uploads, YAML) request body. */
export function parseBody(body: Buffer, contentType: string): unknown {
  if (contentType.startsWith(PROTOBUF)) return decodeProtobufObject(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request is empty');
  try {
    if (contentType.includes('yaml')) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw badRequest(`the body of the request was in an unknown format: ${detail}`);
  }
}
