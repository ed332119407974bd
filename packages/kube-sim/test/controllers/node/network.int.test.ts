// The pod network: Services, endpoints readiness, NetworkPolicies and cluster DNS, seen
// through the API server's service proxy and through a busybox pod's wget/nslookup logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './cluster.ts';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster(50, undefined, [
    {
      apiVersion: 'sim.opsloop.dev/v1alpha1',
      kind: 'ImageBehavior',
      spec: {
        image: 'shop/checkout:2.0',
        binaries: ['checkout'],
        listen: [{ port: 8080, http: { '/': 200 } }],
        dependencies: [{ host: 'payments', port: 8080, fatal: true }],
      },
    },
  ]);
  await c.kubectl.ok(['create', 'namespace', 'shop']);
  await c.kubectl.ok(['label', 'namespace', 'shop', 'team=shop']);
  await c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: wrong-port, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: shop}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
`);
  await c.waitFor(
    'web ready through the proxy',
    async () =>
      (await c.kubectl.run(['get', '--raw', '/api/v1/namespaces/shop/services/web:http/proxy/']))
        .code === 0,
  );
  await c.waitFor('cluster DNS ready', async () => {
    const pods = await c.core.listNamespacedPod({
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-dns',
    });
    return (
      pods.items.filter((p) =>
        p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
      ).length === 2
    );
  });
}, 60_000);
afterAll(async () => {
  await c.stop();
});

async function proxy(path: string): Promise<{ code: number; out: string }> {
  const r = await c.kubectl.run(['get', '--raw', path]);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** Runs a busybox pod with `script` to completion and returns its log. */
async function runInPod(
  ns: string,
  name: string,
  script: string,
  labels: Record<string, string> = {},
): Promise<string> {
  await c.apply(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'probe', image: 'busybox:1.36', command: ['sh', '-c', script] }],
      },
    }),
  );
  await c.waitFor(
    `${name} finished`,
    async () => ['Succeeded', 'Failed'].includes((await c.pod(ns, name))?.status?.phase ?? ''),
    20_000,
  );
  return c.kubectl.ok(['logs', name, '-n', ns]);
}

describe('networking', { timeout: 60_000 }, () => {
  it('proxies to a ready endpoint, and answers like the real proxy when it cannot', async () => {
    expect((await proxy('/api/v1/namespaces/shop/services/web:http/proxy/')).out).toContain(
      'Welcome to nginx!',
    );
    const notFound = await proxy('/api/v1/namespaces/shop/services/web:80/proxy/missing');
    expect(notFound.code).not.toBe(0);
    const none = await proxy('/api/v1/namespaces/shop/services/nobody/proxy/');
    expect(none.out).toContain('no endpoints available for service "nobody"');
    const refused = await proxy('/api/v1/namespaces/shop/services/wrong-port/proxy/');
    expect(refused.out).toMatch(
      /error trying to reach service: dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused/,
    );
  });

  it('lets a pod reach a Service by every DNS form and see 404s and refusals', async () => {
    const log = await runInPod(
      'shop',
      'client',
      [
        'wget -qO- http://web | head -4 | tail -1',
        'wget -qO- http://web.shop.svc.cluster.local/ >/dev/null && echo fqdn-ok',
        'wget -qO- http://web.shop/nope || echo status=$?',
        'wget -qO- http://wrong-port || echo refused=$?',
        'nslookup web.shop',
        'wget -qO- http://no-such-service || echo nxdomain=$?',
      ].join('; '),
    );
    expect(log).toContain('<title>Welcome to nginx!</title>');
    expect(log).toContain('fqdn-ok');
    expect(log).toContain('wget: server returned error: HTTP/1.1 404 Not Found');
    expect(log).toMatch(
      /wget: can't connect to remote host \(10\.96\.\d+\.\d+\): Connection refused/,
    );
    expect(log).toMatch(/Name:\s+web\.shop\.svc\.cluster\.local/);
    expect(log).toContain("wget: bad address 'no-such-service:80'");
  });

  it('enforces ingress policies for pods and for the API server proxy', async () => {
    await c.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{port: http}]
`);
    const blocked = await runInPod(
      'shop',
      'stranger',
      'wget -qO- -T 2 http://web >/dev/null && echo reached || echo blocked',
    );
    expect(blocked).toContain('blocked');
    const allowed = await runInPod(
      'shop',
      'frontend',
      'wget -qO- http://web >/dev/null && echo reached',
      { role: 'frontend' },
    );
    expect(allowed).toContain('reached');
    const viaProxy = await proxy('/api/v1/namespaces/shop/services/web:http/proxy/');
    expect(viaProxy.out).toMatch(
      /error trying to reach service: dial tcp 10\.244\.\d+\.\d+:80: i\/o timeout/,
    );
    await c.kubectl.ok(['delete', 'networkpolicy', 'web-from-frontend', '-n', 'shop']);
    expect((await proxy('/api/v1/namespaces/shop/services/web:http/proxy/')).out).toContain(
      'Welcome to nginx!',
    );
  });

  it('needs egress to kube-dns on 53 to resolve names at all', async () => {
    await c.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: locked, namespace: shop}
spec:
  podSelector: {matchLabels: {egress: locked}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 80}]
`);
    const ip = await c.kubectl.ok([
      'get',
      'svc',
      'web',
      '-n',
      'shop',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ]);
    const noDns = await runInPod(
      'shop',
      'locked-1',
      `nslookup web; wget -qO- http://${ip} >/dev/null && echo by-ip-ok`,
      { egress: 'locked' },
    );
    expect(noDns).toContain(';; connection timed out; no servers could be reached');
    expect(noDns).toContain('by-ip-ok');
    await c.apply(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: shop}
spec:
  podSelector: {matchLabels: {egress: locked}}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`);
    const withDns = await runInPod(
      'shop',
      'locked-2',
      'wget -qO- http://web >/dev/null && echo by-name-ok',
      { egress: 'locked' },
    );
    expect(withDns).toContain('by-name-ok');
    const reach = c.controllers.node.canReach('shop/locked-2', 'web.shop.svc', 80);
    expect(reach.ok).toBe(true);
    expect(
      c.controllers.node.canReach('shop/locked-2', 'kube-dns.kube-system', 9153),
    ).toMatchObject({ ok: false, reason: 'i/o timeout' });
  });

  it('crashes an image whose fatal dependency does not resolve, and logs why', async () => {
    await c.apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'checkout', namespace: 'shop' },
        spec: { containers: [{ name: 'app', image: 'shop/checkout:2.0' }] },
      }),
    );
    await c.waitFor(
      'checkout restarting',
      async () =>
        ((await c.pod('shop', 'checkout'))?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
    );
    expect(await c.kubectl.ok(['logs', 'checkout', '-n', 'shop', '--previous'])).toContain(
      'error: cannot connect to payments:8080: no such host',
    );
    expect(c.controllers.node.canReach('shop/checkout', 'payments', 8080)).toEqual({
      ok: false,
      reason: 'no such host',
    });
  });

  it('refuses connections to a Service with no ready endpoints', async () => {
    await c.kubectl.ok(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=0']);
    await c.waitFor('no endpoints', async () =>
      (await proxy('/api/v1/namespaces/shop/services/web/proxy/')).out.includes(
        'no endpoints available',
      ),
    );
    const log = await runInPod('shop', 'after-scale', 'wget -qO- http://web || echo failed=$?');
    expect(log).toMatch(/Connection refused/);
    await c.kubectl.ok(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=2']);
  });
});
