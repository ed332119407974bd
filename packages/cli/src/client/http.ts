import type { Target } from './config.ts';

/** An error the gateway answered with (its one JSON shape), or a transport failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly body: unknown;
  constructor(status: number, code: string, message: string, body?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export class GatewayClient {
  readonly target: Target;
  constructor(target: Target) {
    this.target = target;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.target.server), {
        method,
        headers: {
          authorization: `Bearer ${this.target.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(
        0,
        'UNREACHABLE',
        `cannot reach the gateway at ${this.target.server} (${(error as Error).cause ?? (error as Error).message}): is \`npm start\` running? Pass --server otherwise`,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      const hint = response.status === 401 ? ` (token from ${this.target.source})` : '';
      throw new ApiError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        `${error?.message ?? text.slice(0, 300)}${hint}`,
        parsed,
      );
    }
    return parsed as T;
  }

  /** Follows the operation's Server-Sent Events from `lastEventId` (exclusive) until `stop` returns true. */
  async *events(opId: string, signal?: AbortSignal): AsyncGenerator<{ id: string; data: unknown }> {
    let lastId: string | undefined;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(new URL(`/api/v1/operations/${opId}/events`, this.target.server), {
          headers: {
            authorization: `Bearer ${this.target.token}`,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: signal ?? null,
        });
      } catch (error) {
        if (signal?.aborted) return;
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!response.ok || !response.body) {
        throw new ApiError(response.status, `HTTP_${response.status}`, await response.text());
      }
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const message = parseSse(block);
            if (message?.data !== undefined) {
              if (message.id) lastId = message.id;
              yield { id: message.id ?? '', data: JSON.parse(message.data) };
            }
          }
        }
      } catch (error) {
        if (signal?.aborted) return;
        void error;
      }
      if (signal?.aborted) return;
      // The stream ended (gateway restart): reconnect and resume after the last event seen.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

function parseSse(block: string): { id?: string; event?: string; data?: string } | undefined {
  const message: { id?: string; event?: string; data?: string } = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data')
      message.data = message.data === undefined ? value : `${message.data}\n${value}`;
    else if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
  }
  return message;
}
