/**
 * Fake model servers on loopback speaking the real wire protocols, scripted per test:
 * Ollama's /api/chat (NDJSON stream ending with `done: true`) and OpenAI's
 * /v1/chat/completions (SSE `chat.completion.chunk` lines, then `data: [DONE]`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Turn =
  | { content?: string; calls?: { name: string; args: unknown }[] }
  | { status: number; error: string }
  | { hang: true };

export interface FakeModel {
  url: string;
  /** Request bodies received, in order. */
  requests: Record<string, unknown>[];
  headers: IncomingMessage['headers'][];
  stop(): Promise<void>;
}

type Script = Turn[] | ((body: Record<string, unknown>, n: number) => Turn);

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text) as Record<string, unknown>;
}

function start(protocol: 'ollama' | 'openai', script: Script): Promise<FakeModel> {
  const requests: Record<string, unknown>[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const b = await body(req);
    requests.push(b);
    headers.push(req.headers);
    const n = requests.length - 1;
    const turn: Turn =
      typeof script === 'function' ? script(b, n) : (script[n] ?? { content: 'no more script' });
    if ('hang' in turn) {
      open.add(res);
      res.writeHead(200, {
        'content-type': protocol === 'ollama' ? 'application/x-ndjson' : 'text/event-stream',
      });
      return;
    }
    if ('status' in turn) {
      res.writeHead(turn.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          protocol === 'ollama'
            ? { error: turn.error }
            : { error: { message: turn.error, type: 'server_error' } },
        ),
      );
      return;
    }
    if (protocol === 'ollama') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const words = (turn.content ?? '').split(/(?<= )/);
      for (const w of words.filter(Boolean)) {
        res.write(
          `${JSON.stringify({ model: b.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: w }, done: false })}\n`,
        );
      }
      if (turn.calls?.length) {
        res.write(
          `${JSON.stringify({ model: b.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', tool_calls: turn.calls.map((c) => ({ function: { name: c.name, arguments: c.args } })) }, done: false })}\n`,
        );
      }
      res.end(
        `${JSON.stringify({ model: b.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', total_duration: 1, load_duration: 1, prompt_eval_count: 1234, prompt_eval_duration: 1, eval_count: 56, eval_duration: 1 })}\n`,
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: unknown, finish: string | null = null, usage?: unknown) =>
      res.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: b.model, choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' });
    if (turn.content) for (const w of turn.content.split(/(?<= )/)) chunk({ content: w });
    (turn.calls ?? []).forEach((c, index) => {
      const args = typeof c.args === 'string' ? c.args : JSON.stringify(c.args);
      chunk({
        tool_calls: [
          {
            index,
            id: `call_${n}_${index}`,
            type: 'function',
            function: { name: c.name, arguments: '' },
          },
        ],
      });
      const half = Math.ceil(args.length / 2);
      chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] });
      chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
    });
    chunk({}, turn.calls?.length ? 'tool_calls' : 'stop');
    chunk(null, null, { prompt_tokens: 2345, completion_tokens: 67, total_tokens: 2412 });
    res.end('data: [DONE]\n\n');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: protocol === 'ollama' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`,
        requests,
        headers,
        stop: () =>
          new Promise<void>((done) => {
            for (const r of open) r.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export const startFakeOllama = (script: Script) => start('ollama', script);
export const startFakeOpenAi = (script: Script) => start('openai', script);

/** The text of every message the model was sent in request `n`. */
export function promptText(request: Record<string, unknown>): string {
  return (request.messages as { content?: string }[]).map((m) => m.content ?? '').join('\n');
}
