/** A bare HTTPS client for asserting exact wire behaviour (status codes, headers, streams). */
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json: () => Record<string, unknown>;
}

export function https(
  url: string,
  options: {
    method?: string;
    token?: string;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
    const req = request(
      url,
      { method: options.method ?? 'GET', headers, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a watch and collects its events until stop(). */
export function watchStream(
  url: string,
  token: string,
): { events: { type: string; object: Record<string, unknown> }[]; stop: () => void } {
  const events: { type: string; object: Record<string, unknown> }[] = [];
  let buffered = '';
  const req = request(
    url,
    { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffered.slice(0, nl)) as never);
          buffered = buffered.slice(nl + 1);
        }
      });
    },
  );
  req.on('error', () => {});
  req.end();
  return { events, stop: () => req.destroy() };
}
