// Processes and the pod network as scripts for kind use them, through the real kubectl:
// busybox load applets charge cpu and memory (`kubectl top`), a tmpfs fill past the limit
// is OOMKilled, containers of one pod reach each other over localhost, /etc/hosts exists.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
let sim: KubeSim;
let kubectl: Kubectl;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20 });
  kubectl = new Kubectl(sim);
});
afterAll(async () => {
  await sim.stop();
});

const pod = (name: string, script: string, resources = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: busybox:1.36
      command: [sh, -c, ${JSON.stringify(script)}]
${resources}`;

const running = (name: string) =>
  until(
    async () =>
      (await kubectl.ok(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])) === 'Running',
    30_000,
    `${name} running`,
  );

/** `kubectl top pod` as [cpu millicores, memory MiB]. */
async function top(name: string): Promise<[number, number]> {
  const row = (await kubectl.ok(['top', 'pod', name, '--no-headers'])).trim().split(/\s+/);
  return [Number((row[1] ?? '').replace(/m$/, '')), Number((row[2] ?? '').replace(/Mi$/, ''))];
}

describe('busybox load applets', () => {
  it('yes burns a core, capped at the cpu limit', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      pod('burn', 'yes > /dev/null', '      resources: {limits: {cpu: 500m}}\n'),
    );
    await running('burn');
    expect((await top('burn'))[0]).toBe(500);
    await kubectl.ok(['apply', '-f', '-'], pod('spin', 'while true; do :; done'));
    await running('spin');
    expect((await top('spin'))[0]).toBeGreaterThanOrEqual(1000);
  });

  it('dd into /dev/shm grows the working set; past the limit it is OOMKilled', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      pod('fill', 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=300; sleep 3600'),
    );
    await running('fill');
    await until(async () => (await top('fill'))[1] >= 300, 20_000, '300Mi in use');
    expect(await kubectl.ok(['logs', 'fill'])).toMatch(
      /^300\+0 records in\n300\+0 records out\n314572800 bytes \(300\.0MB\) copied/,
    );
    await kubectl.ok(
      ['apply', '-f', '-'],
      pod(
        'overfill',
        'dd if=/dev/zero of=/dev/shm/fill bs=1M count=300; sleep 3600',
        '      resources: {limits: {memory: 128Mi}}\n',
      ),
    );
    await until(
      async () =>
        (await kubectl.ok([
          'get',
          'pod',
          'overfill',
          '-o',
          'jsonpath={.status.containerStatuses[0].lastState.terminated.reason}',
        ])) === 'OOMKilled',
      30_000,
      'OOMKilled',
    );
  });

  it('seq, head -c, sha256sum and md5sum work in kubectl exec', async () => {
    await kubectl.ok(['apply', '-f', '-'], pod('tools', 'sleep 3600'));
    await running('tools');
    const exec = (script: string) => kubectl.ok(['exec', 'tools', '--', 'sh', '-c', script]);
    expect(await exec('seq 3; seq 8 2 12')).toBe('1\n2\n3\n8\n10\n12\n');
    expect(await exec('echo hello | sha256sum')).toBe(
      '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  -\n',
    );
    expect(await exec('echo hello | md5sum')).toBe('b1946ac92492d2347c6235b4d2611184  -\n');
    expect(await exec('yes ok | head -n 2')).toBe('ok\nok\n');
    expect(await exec('head -c 5 /etc/hostname')).toBe('tools\n');
  });
});

describe('the pod network', () => {
  it('lets containers of one pod reach each other over localhost and 127.0.0.1; /etc/hosts names the pod', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: duo, labels: {app: duo}}
spec:
  containers:
    - {name: web, image: nginx:1.27}
    - {name: side, image: busybox:1.36, command: [sleep, '3600']}
`,
    );
    await until(
      async () => (await kubectl.ok(['get', 'pod', 'duo', '--no-headers'])).includes('2/2'),
      30_000,
      'both containers ready',
    );
    expect(
      await kubectl.ok(['exec', 'duo', '-c', 'side', '--', 'wget', '-qO-', 'http://localhost/']),
    ).toContain('Welcome to nginx!');
    expect(
      await kubectl.ok(['exec', 'duo', '-c', 'side', '--', 'wget', '-qO-', 'http://127.0.0.1:80/']),
    ).toContain('Welcome to nginx!');
    const refused = await kubectl.run([
      'exec',
      'duo',
      '-c',
      'side',
      '--',
      'wget',
      '-qO-',
      'http://localhost:8080/',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('Connection refused');
    const ip = await kubectl.ok(['get', 'pod', 'duo', '-o', 'jsonpath={.status.podIP}']);
    const hosts = await kubectl.ok(['exec', 'duo', '-c', 'side', '--', 'cat', '/etc/hosts']);
    expect(hosts).toContain('127.0.0.1\tlocalhost\n');
    expect(hosts).toContain(`${ip}\tduo\n`);
  });

  it('nginx logs an access line per request and an error line per 404, with timestamps', async () => {
    await kubectl.ok(['run', 'client', '--image=busybox:1.36', '--command', '--', 'sleep', '3600']);
    await until(
      async () =>
        (await kubectl.ok(['get', 'pod', 'client', '-o', 'jsonpath={.status.phase}'])) ===
        'Running',
      30_000,
      'client running',
    );
    const ip = await kubectl.ok(['get', 'pod', 'duo', '-o', 'jsonpath={.status.podIP}']);
    const clientIp = await kubectl.ok(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}']);
    await kubectl.ok(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}/`]);
    await kubectl.run(['exec', 'client', '--', 'wget', '-qO-', `http://${ip}/missing.html`]);
    await kubectl.ok(['expose', 'pod', 'duo', '--port=80', '--name=duo-web']);
    await kubectl.ok([
      'get',
      '--raw',
      '/api/v1/namespaces/default/services/duo-web:80/proxy/index.html',
    ]);
    const logs = await kubectl.ok(['logs', 'duo', '-c', 'web']);
    const stamp = String.raw`\[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\]`;
    expect(logs).toMatch(
      new RegExp(`^127\\.0\\.0\\.1 - - ${stamp} "GET / HTTP/1\\.1" 200 \\d+ "-" "Wget" "-"$`, 'm'),
    );
    expect(logs).toMatch(
      new RegExp(
        `^${clientIp.replace(/\./g, '\\.')} - - ${stamp} "GET / HTTP/1\\.1" 200 \\d+ "-" "Wget" "-"$`,
        'm',
      ),
    );
    expect(logs).toMatch(
      new RegExp(
        String.raw`^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} \[error\] 29#29: \*1 open\(\) "/usr/share/nginx/html/missing\.html" failed \(2: No such file or directory\), client: ` +
          clientIp.replace(/\./g, '\\.'),
        'm',
      ),
    );
    expect(logs).toMatch(/"GET \/missing\.html HTTP\/1\.1" 404 \d+ "-" "Wget" "-"$/m);
    expect(logs).toMatch(/"GET \/index\.html HTTP\/1\.1" 200 \d+ "-" "kubectl\//m);
  });
});
