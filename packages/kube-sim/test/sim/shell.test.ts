import { describe, expect, it } from 'vitest';
import { resolveImage } from '../../src/sim/catalog.ts';
import { runShell, type ShellContext } from '../../src/sim/shell.ts';

const services: Record<string, string> = { web: '10.96.12.34', 'payments-db': '10.96.40.2' };

function ctx(image = 'busybox:1.36', extra: Partial<ShellContext> = {}): ShellContext {
  return {
    image: resolveImage(image),
    env: { GREETING: 'hello' },
    hostname: 'debug-5f7c9',
    namespace: 'shop',
    network: (host, port) => {
      if (host === 'web' && port === 80) return { reachable: true, address: services.web };
      if (host === 'payments-db')
        return { reachable: false, reason: 'connection refused', address: services['payments-db'] };
      if (host === 'slow') return { reachable: false, reason: 'i/o timeout' };
      return { reachable: false, reason: 'no such host' };
    },
    http: (_host, _port, path) =>
      path === '/'
        ? { status: 200, body: '<h1>shop</h1>\n' }
        : { status: 404, body: 'not found\n' },
    dns: (name) => {
      const short = name.split('.')[0] ?? name;
      const address = services[short];
      return address === undefined
        ? { error: 'NXDOMAIN' }
        : { fqdn: `${short}.shop.svc.cluster.local`, address };
    },
    files: { '/etc/config/app.conf': 'mode=prod\nlevel=info\n' },
    ...extra,
  };
}

const lines = (script: string, c = ctx()) => runShell(script, c).lines.map((l) => l.line);

describe('runShell', () => {
  it('runs simple commands joined by ; && || and newlines, with $VAR and $? expansion', () => {
    const result = runShell(
      'echo "$GREETING world"; false || echo "failed with $?"\ntrue && echo ok; X=3; echo ${X} ${MISSING:-default}',
      ctx(),
    );
    expect(result.lines.map((l) => l.line)).toEqual([
      'hello world',
      'failed with 1',
      'ok',
      '3 default',
    ]);
    expect(result.exit).toEqual({ atSeconds: 0, code: 0, reason: 'Completed' });
  });

  it('stamps lines with sim time and exits with the given code', () => {
    const result = runShell("echo start; sleep 5; echo 'after five'; exit 3; echo never", ctx());
    expect(result.lines).toEqual([
      { atSeconds: 0, line: 'start' },
      { atSeconds: 5, line: 'after five' },
    ]);
    expect(result.exit).toEqual({ atSeconds: 5, code: 3, reason: 'Error' });
  });

  it('fetches through the network callbacks with busybox wget wording', () => {
    expect(lines('wget -qO- http://web/')).toEqual(['<h1>shop</h1>']);
    expect(lines('wget -qO- http://web/missing; echo $?')).toEqual([
      'wget: server returned error: HTTP/1.1 404 Not Found',
      '1',
    ]);
    expect(lines('wget -qO- http://payments-db:5432/')).toEqual([
      "wget: can't connect to remote host (10.96.40.2): Connection refused",
    ]);
    expect(lines('wget -qO- http://nope/')).toEqual(["wget: bad address 'nope:80'"]);
    const timeout = runShell('wget -q -T 3 -O- http://slow/', ctx());
    expect(timeout.lines).toEqual([{ atSeconds: 3, line: 'wget: download timed out' }]);
  });

  it('resolves Services with nslookup and reports NXDOMAIN', () => {
    expect(lines('nslookup web')).toEqual([
      'Server:\t\t10.96.0.10',
      'Address:\t10.96.0.10:53',
      '',
      'Name:\tweb.shop.svc.cluster.local',
      'Address: 10.96.12.34',
      '',
    ]);
    const result = runShell('nslookup x', ctx());
    expect(result.lines.map((l) => l.line)).toContain("** server can't find x: NXDOMAIN");
    expect(result.exit?.code).toBe(1);
  });

  it('reads files: hostname, resolv.conf, mounted config, and what the script wrote', () => {
    expect(lines('cat /etc/hostname')).toEqual(['debug-5f7c9']);
    expect(lines('cat /etc/resolv.conf')[0]).toBe(
      'search shop.svc.cluster.local svc.cluster.local cluster.local',
    );
    expect(lines('cat /etc/config/app.conf | grep level')).toEqual(['level=info']);
    expect(lines('echo one > /tmp/x; echo two >> /tmp/x; cat /tmp/x; cat /nope')).toEqual([
      'one',
      'two',
      "cat: can't open '/nope': No such file or directory",
    ]);
  });

  it('prints the environment', () => {
    expect(lines('printenv GREETING')).toEqual(['hello']);
    expect(lines('env | grep GREETING')).toEqual(['GREETING=hello']);
  });

  it('reports a missing program with exit 127', () => {
    const result = runShell('python3 -c "print(1)"', ctx());
    expect(result.lines.map((l) => l.line)).toEqual(['sh: python3: not found']);
    expect(result.exit?.code).toBe(127);
    // nginx:1.27 is Debian-based: its /bin/sh is dash, which numbers the line.
    expect(lines('wget -qO- http://web/', ctx('nginx:1.27'))).toEqual(['sh: 1: wget: not found']);
  });

  it("words a missing program as the image's shell does", () => {
    const as = (argv0: string, image: string) => lines('python3 app.py', ctx(image, { argv0 }));
    expect(as('/bin/sh', 'node:20-bookworm-slim')).toEqual(['/bin/sh: 1: python3: not found']);
    expect(as('bash', 'debian:12')).toEqual(['bash: line 1: python3: command not found']);
    expect(as('/bin/sh', 'node:20-alpine')).toEqual(['/bin/sh: python3: not found']);
  });

  it('never exits for endless loops and sleep infinity, but does for bounded loops', () => {
    const loop = runShell('while true; do echo tick; sleep 10; done', ctx());
    expect(loop.exit).toBeUndefined();
    expect(loop.lines.slice(0, 3)).toEqual([
      { atSeconds: 0, line: 'tick' },
      { atSeconds: 10, line: 'tick' },
      { atSeconds: 20, line: 'tick' },
    ]);
    expect(runShell('sleep infinity', ctx()).exit).toBeUndefined();
    expect(lines('for i in 1 2 3; do echo n$i; done')).toEqual(['n1', 'n2', 'n3']);
    expect(lines('if [ "$GREETING" = hello ]; then echo yes; else echo no; fi')).toEqual(['yes']);
  });

  it('waits in an until-loop for a name that never resolves', () => {
    const result = runShell('until nslookup orders-cahce; do echo waiting; sleep 2; done', ctx());
    expect(result.exit).toBeUndefined();
    expect(result.lines.map((l) => l.line)).toContain(
      "** server can't find orders-cahce: NXDOMAIN",
    );
    expect(result.lines.map((l) => l.line)).toContain('waiting');
  });

  it('reports syntax errors with exit 2', () => {
    const result = runShell('echo "unterminated', ctx());
    expect(result.lines.map((l) => l.line)).toEqual([
      'sh: syntax error: unterminated quoted string',
    ]);
    expect(result.exit?.code).toBe(2);
  });
});

describe('runShell: curl and nc', () => {
  it('speaks curl exit codes and messages', () => {
    const c = ctx('curlimages/curl:8.11.1');
    expect(lines('curl -s http://web/', c)).toEqual(['<h1>shop</h1>']);
    expect(lines("curl -s -o /dev/null -w '%{http_code}' http://web/missing", c)).toEqual(['404']);
    expect(runShell('curl -sf http://web/missing', c).exit?.code).toBe(22);
    expect(lines('curl http://nope/', c)).toEqual(['curl: (6) Could not resolve host: nope']);
    expect(lines('curl http://payments-db:5432/', c)).toEqual([
      "curl: (7) Failed to connect to payments-db port 5432 after 0 ms: Couldn't connect to server",
    ]);
  });

  it('checks ports with nc -z', () => {
    expect(runShell('nc -z web 80', ctx()).exit?.code).toBe(0);
    const refused = runShell('nc -zv payments-db 5432', ctx());
    expect(refused.exit?.code).toBe(1);
    expect(refused.lines.map((l) => l.line)).toEqual([
      "nc: can't connect to remote host (10.96.40.2): Connection refused",
    ]);
  });
});
