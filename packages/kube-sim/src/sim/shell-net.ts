/**
 * Network programs of the simulated shell (busybox wget/nslookup/nc, curl), wording their
 * output and exit codes as the real programs do inside a pod.
 */
import type { SimEnvironment } from './runtime-types.ts';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Advance sim time (timeouts). */
  wait(seconds: number): void;
  /** Seconds since the process started, on its own timeline. */
  at?(): number;
  stdin: string[] | undefined;
}

function parseUrl(raw: string): { host: string; port: number; path: string } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(raw);
  if (!m) return undefined;
  const scheme = m[1] ?? 'http';
  return {
    host: m[2] ?? '',
    port: m[3] === undefined ? (scheme === 'https' ? 443 : 80) : Number(m[3]),
    path: m[4] ?? '/',
  };
}

const REASON_TEXT: Record<string, string> = {
  'connection refused': 'Connection refused',
  'i/o timeout': 'Connection timed out',
  'no route to host': 'No route to host',
};

function splitLines(body: string): string[] {
  const lines = body.replace(/\r/g, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isTimeout(reason: string | undefined): boolean {
  return reason !== undefined && /timeout|timed out/.test(reason);
}

/** busybox wget: `wget -qO- URL`, `wget -O- URL`, `wget -q --spider URL`, `-T secs`. */
export function wget(args: string[], io: CommandIo, env: SimEnvironment): number {
  let quiet = false;
  let toStdout = false;
  let spider = false;
  let timeout = 10;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--spider') spider = true;
    else if (a === '-O' || a === '--output-document') toStdout = args[++i] === '-';
    else if (a === '-T' || a === '--timeout') timeout = Number(args[++i] ?? '10');
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
    else if (a.startsWith('-') && !a.startsWith('--')) {
      if (a.includes('q')) quiet = true;
      if (a.includes('O')) toStdout = a.endsWith('O-') || args[i + 1] === '-';
      if (a.endsWith('O') && args[i + 1] === '-') i++;
      if (a.endsWith('T')) timeout = Number(args[++i] ?? '10');
    } else url = a;
  }
  if (url === undefined) {
    io.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.');
    io.err('Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR] URL...');
    return 1;
  }
  const target = parseUrl(url);
  if (target === undefined) {
    io.err(`wget: bad address '${url}'`);
    return 1;
  }
  const reach = env.network(target.host, target.port);
  if (!reach.reachable) {
    if (reach.reason === 'no such host') {
      io.err(`wget: bad address '${target.host}:${target.port}'`);
    } else if (isTimeout(reach.reason)) {
      if (!quiet)
        io.err(
          `Connecting to ${target.host}:${target.port} (${reach.address ?? target.host}:${target.port})`,
        );
      io.wait(timeout);
      io.err('wget: download timed out');
    } else {
      io.err(
        `wget: can't connect to remote host (${reach.address ?? target.host}): ${REASON_TEXT[reach.reason ?? ''] ?? 'Connection refused'}`,
      );
    }
    return 1;
  }
  if (!quiet)
    io.err(`Connecting to ${target.host} (${reach.address ?? target.host}:${target.port})`);
  const response = env.http?.(target.host, target.port, target.path, 'Wget', io.at?.()) ?? {
    status: 200,
    body: '',
  };
  if (response.status >= 400) {
    io.err(
      `wget: server returned error: HTTP/1.1 ${response.status} ${statusText(response.status)}`,
    );
    return 1;
  }
  if (spider) {
    if (!quiet) io.err('remote file exists');
    return 0;
  }
  if (toStdout) {
    if (!quiet) io.err('writing to stdout');
    for (const line of splitLines(response.body)) io.out(line);
    if (!quiet) io.err('written to stdout');
  } else if (!quiet) {
    io.err("saving to 'index.html'");
    io.err("'index.html' saved");
  }
  return 0;
}

/** curl: `curl -s URL`, `-f`, `-o /dev/null -w '%{http_code}'`, `-m secs`. */
export function curl(args: string[], io: CommandIo, env: SimEnvironment): number {
  let fail = false;
  let silent = false;
  let writeOut: string | undefined;
  let discard = false;
  let timeout = 0;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-o' || a === '--output') discard = args[++i] === '/dev/null';
    else if (a === '-w' || a === '--write-out') writeOut = args[++i];
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout')
      timeout = Number(args[++i] ?? '0');
    else if (a === '-H' || a === '-X' || a === '-d' || a === '--header') i++;
    else if (a.startsWith('-') && !a.startsWith('--')) {
      if (a.includes('f')) fail = true;
      if (a.includes('s')) silent = true;
    } else if (!a.startsWith('--')) url = a;
  }
  if (url === undefined) {
    io.err("curl: try 'curl --help' or 'curl --manual' for more information");
    return 2;
  }
  const target = parseUrl(url);
  if (target === undefined) {
    io.err(`curl: (3) URL rejected: Malformed input to a URL function`);
    return 3;
  }
  const reach = env.network(target.host, target.port);
  if (!reach.reachable) {
    if (reach.reason === 'no such host') {
      io.err(`curl: (6) Could not resolve host: ${target.host}`);
      return 6;
    }
    if (isTimeout(reach.reason)) {
      const wait = timeout > 0 ? timeout : 130;
      io.wait(wait);
      io.err(
        `curl: (28) Failed to connect to ${target.host} port ${target.port} after ${wait * 1000} ms: Timeout was reached`,
      );
      return 28;
    }
    io.err(
      `curl: (7) Failed to connect to ${target.host} port ${target.port} after 0 ms: Couldn't connect to server`,
    );
    return 7;
  }
  const response = env.http?.(target.host, target.port, target.path, 'curl/8.5.0', io.at?.()) ?? {
    status: 200,
    body: '',
  };
  if (fail && response.status >= 400) {
    if (!silent) io.err(`curl: (22) The requested URL returned error: ${response.status}`);
    return 22;
  }
  if (!discard) for (const line of splitLines(response.body)) io.out(line);
  if (writeOut !== undefined)
    io.out(writeOut.replace('%{http_code}', String(response.status)).replace(/\\n$/, ''));
  return 0;
}

/** busybox nslookup NAME. */
export function nslookup(args: string[], io: CommandIo, env: SimEnvironment): number {
  const name = args.find((a) => !a.startsWith('-'));
  const server = env.dnsServer ?? '10.96.0.10';
  if (name === undefined) {
    io.err('Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]');
    return 1;
  }
  const answer = env.dns?.(name) ?? { error: 'NXDOMAIN' as const };
  if ('error' in answer && answer.error === 'timeout') {
    io.wait(15);
    io.out(';; connection timed out; no servers could be reached');
    io.out('');
    return 1;
  }
  io.out(`Server:\t\t${server}`);
  io.out(`Address:\t${server}:53`);
  io.out('');
  if ('error' in answer) {
    io.out(`** server can't find ${name}: NXDOMAIN`);
    io.out('');
    return 1;
  }
  io.out(`Name:\t${answer.fqdn}`);
  io.out(`Address: ${answer.address}`);
  io.out('');
  return 0;
}

/** busybox `nc -z [-w secs] host port` (and `nc -zv`). */
export function nc(args: string[], io: CommandIo, env: SimEnvironment): number {
  const positional = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-w');
  const [host, portText] = positional;
  const port = Number(portText);
  if (host === undefined || !Number.isInteger(port)) {
    io.err('BusyBox v1.36.1 multi-call binary.');
    io.err('Usage: nc [OPTIONS] HOST PORT  - connect');
    return 1;
  }
  const verbose = args.some((a) => a.startsWith('-') && a.includes('v'));
  const reach = env.network(host, port);
  if (reach.reachable) {
    if (verbose) io.err(`${host} (${reach.address ?? host}:${port}) open`);
    return 0;
  }
  if (reach.reason === 'no such host') io.err(`nc: bad address '${host}'`);
  else if (isTimeout(reach.reason)) {
    io.wait(Number(args[args.indexOf('-w') + 1] ?? 10) || 10);
    io.err('nc: timed out');
  } else io.err(`nc: can't connect to remote host (${reach.address ?? host}): Connection refused`);
  return 1;
}

export function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK',
    301: 'Moved Permanently',
    302: 'Found',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return texts[status] ?? 'Unknown';
}
