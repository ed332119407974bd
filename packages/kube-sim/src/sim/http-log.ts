/**
 * What a web server logs per request, as the real image does. nginx: one access line in the
 * `combined` format per request on stdout, and for a 404 first an error line on stderr
 * (`open() "…" failed (2: No such file or directory)`), both stamped with the time.
 */
export type HttpLogStyle = 'nginx';

export interface ServedRequest {
  client: string;
  /** The address the client connected to (the pod IP, localhost, …). */
  host: string;
  method: string;
  path: string;
  status: number;
  bytes: number;
  agent: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Log lines for one request, in the order nginx writes them. */
export function requestLogLines(
  style: HttpLogStyle,
  request: ServedRequest,
  atMs: number,
): string[] {
  if (style !== 'nginx') return [];
  const d = new Date(atMs);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const access = `${request.client} - - [${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${time} +0000] "${request.method} ${request.path} HTTP/1.1" ${request.status} ${request.bytes} "-" "${request.agent}" "-"`;
  if (request.status !== 404) return [access];
  const file = `/usr/share/nginx/html${request.path.split('?')[0]}`;
  const error = `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${time} [error] 29#29: *1 open() "${file}" failed (2: No such file or directory), client: ${request.client}, server: localhost, request: "${request.method} ${request.path} HTTP/1.1", host: "${request.host}"`;
  return [error, access];
}
