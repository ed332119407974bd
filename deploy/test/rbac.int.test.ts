import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, type Cluster } from '@opsloop/kube-tools';
import { access, allowed } from './helpers/access.ts';
import { render } from './helpers/kustomize.ts';
import { startDeploySim, type DeploySim } from './helpers/sim.ts';

/**
 * What each ServiceAccount needs (read from kube-tools: read/**, analyzers/snapshot.ts,
 * checks/**, actions/**), in the managed namespace `shop`, and what none may do.
 */
const NEEDS: Record<string, string[]> = {
  planner: [
    'list pods', // a node's free room counts the pods of every namespace
    'get nodes',
    'list nodes',
    'list namespaces',
    'get namespaces - kube-system',
    'list persistentvolumes',
    'list storage.k8s.io:storageclasses',
    'list networking.k8s.io:ingressclasses',
    'list admissionregistration.k8s.io:validatingwebhookconfigurations',
    'list admissionregistration.k8s.io:mutatingwebhookconfigurations',
    ...[
      'pods',
      'services',
      'endpoints',
      'events',
      'configmaps',
      'persistentvolumeclaims',
      'resourcequotas',
      'limitranges',
      'serviceaccounts',
      'apps:deployments',
      'apps:replicasets',
      'apps:statefulsets',
      'apps:daemonsets',
      'apps:controllerrevisions',
      'batch:jobs',
      'batch:cronjobs',
      'networking.k8s.io:ingresses',
      'networking.k8s.io:networkpolicies',
      'autoscaling:horizontalpodautoscalers',
      'policy:poddisruptionbudgets',
    ].flatMap((r) => [`list ${r} shop`, `get ${r} shop x`, `watch ${r} shop`]),
    'get pods/log shop web-1',
    'list rbac.authorization.k8s.io:roles shop',
    'list rbac.authorization.k8s.io:rolebindings shop',
  ],
  verifier: [
    'get apps:deployments shop web',
    'get apps:statefulsets shop db',
    'get apps:daemonsets shop agent',
    'list pods shop',
    'list events shop',
    'get endpoints shop web',
    'get batch:jobs shop migrate',
    'get persistentvolumeclaims shop data',
    'get resourcequotas shop quota',
    'get autoscaling:horizontalpodautoscalers shop web',
    'get nodes - node-1',
    'get services/proxy shop web:80',
    'get namespaces - kube-system',
  ],
  executor: [
    'patch apps:deployments shop web',
    'patch apps:statefulsets shop db',
    'patch apps:daemonsets shop agent',
    'patch apps:replicasets shop web-1',
    'list apps:replicasets shop',
    'get apps:deployments shop web',
    'get configmaps shop settings',
    'patch services shop web',
    'patch networking.k8s.io:networkpolicies shop allow-web',
    'patch resourcequotas shop quota',
    'patch batch:cronjobs shop report',
    'create batch:jobs shop',
    'delete batch:jobs shop migrate',
    'delete pods shop web-1',
    'create pods/eviction shop web-1',
    // RecreateClaim: a never-bound claim, recreated with a class that exists.
    'delete persistentvolumeclaims shop data',
    'create persistentvolumeclaims shop',
    'get storage.k8s.io:storageclasses - standard',
    'patch nodes - node-1',
    'get nodes - node-1',
    'list pods',
    'create authorization.k8s.io:subjectaccessreviews',
    'get namespaces - kube-system',
  ],
  gateway: [
    'create authorization.k8s.io:subjectaccessreviews',
    'get namespaces - kube-system',
    // The console's findings: the analyzers' reads, read-only.
    'list pods',
    'get nodes - node-1',
    'list storage.k8s.io:storageclasses',
    'list networking.k8s.io:ingressclasses',
    'list admissionregistration.k8s.io:validatingwebhookconfigurations',
    'list pods shop',
    'list apps:deployments shop',
    'list events shop',
    'get pods/log shop web-1',
  ],
};

/** Forbidden to every ServiceAccount. */
const FORBIDDEN_TO_ALL = [
  ...['shop', 'opsloop', 'kube-system'].flatMap((ns) => [
    `get secrets ${ns} db-password`,
    `list secrets ${ns}`,
    `watch secrets ${ns}`,
  ]),
  'list secrets',
  'create pods/exec shop web-1',
  'get pods/exec shop web-1',
  'create pods/attach shop web-1',
  'create pods/portforward shop web-1',
  'create serviceaccounts/token opsloop executor',
  'escalate rbac.authorization.k8s.io:clusterroles - cluster-admin',
  'bind rbac.authorization.k8s.io:clusterroles - cluster-admin',
  'escalate rbac.authorization.k8s.io:roles shop',
  'bind rbac.authorization.k8s.io:roles shop',
  'create rbac.authorization.k8s.io:rolebindings shop',
  'create rbac.authorization.k8s.io:clusterrolebindings',
  'impersonate users - admin',
  'impersonate groups - system:masters',
  'impersonate serviceaccounts opsloop executor',
  // Any write in kube-system.
  'patch apps:deployments kube-system coredns',
  'patch apps:daemonsets kube-system kube-proxy',
  'delete pods kube-system coredns-1',
  'create pods/eviction kube-system coredns-1',
  'create pods kube-system',
  'patch configmaps kube-system coredns',
  'create batch:jobs kube-system',
  'patch services kube-system kube-dns',
  'delete namespaces - kube-system',
  'patch namespaces - kube-system',
  // Opsloop never changes itself or reaches into namespaces it does not manage.
  'patch apps:deployments opsloop executor',
  'patch apps:deployments other web',
  'get services/proxy kube-system kube-dns:53',
  'get pods/log kube-system coredns-1',
];

/** Writes only the executor has. */
const CATALOG_WRITES = NEEDS.executor!.filter((a) => /^(patch|create|delete) /.test(a)).filter(
  (a) => !a.includes('subjectaccessreviews'),
);

/** Verbs outside the catalog the executor must not have either. */
const NOT_IN_CATALOG = [
  'update apps:deployments shop web',
  'create apps:deployments shop',
  'delete apps:deployments shop web',
  'deletecollection pods shop',
  'create pods shop',
  'patch configmaps shop settings',
  'delete nodes - node-1',
  'update nodes - node-1',
  'patch pods shop web-1',
  'patch persistentvolumeclaims shop data',
  'update persistentvolumeclaims shop data',
];

let env: DeploySim;
let cluster: Cluster;
beforeAll(async () => {
  env = await startDeploySim(1);
  await env.kubectl(['create', 'namespace', 'shop']);
  await env.kubectl(['apply', '-f', '-'], await render('overlays/dev'));
  cluster = await connectCluster({ kubeconfigText: env.sim.kubeconfig() });
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

/** The requests in `list` whose answer is not `expected`. */
async function mismatches(account: string, list: string[], expected: boolean): Promise<string[]> {
  const answers = await Promise.all(list.map((a) => allowed(cluster, account, access(a))));
  return list.filter((_, i) => answers[i] !== expected);
}

describe.each(Object.keys(NEEDS))('ServiceAccount %s', (account) => {
  it('is allowed everything its tools do', async () => {
    expect(await mismatches(account, NEEDS[account]!, true)).toEqual([]);
  });

  it('is denied Secrets, exec/attach, escalate/bind/impersonate and any write in kube-system', async () => {
    expect(await mismatches(account, FORBIDDEN_TO_ALL, false)).toEqual([]);
  });

  if (account === 'executor') {
    it('has no write outside the action catalog', async () => {
      expect(await mismatches(account, NOT_IN_CATALOG, false)).toEqual([]);
    });
  } else {
    it('has no write at all', async () => {
      expect(await mismatches(account, [...CATALOG_WRITES, ...NOT_IN_CATALOG], false)).toEqual([]);
    });
  }
});

it('grants the executor its writes only in the namespaces listed as managed', async () => {
  const elsewhere = CATALOG_WRITES.filter((a) => a.includes(' shop')).map((a) =>
    a.replace(' shop', ' other'),
  );
  expect(elsewhere.length).toBeGreaterThan(10);
  expect(await mismatches('executor', elsewhere, false)).toEqual([]);
});

describe('impersonation mode (components/executor-impersonation)', () => {
  let variant: DeploySim;
  let admin: Cluster;
  beforeAll(async () => {
    variant = await startDeploySim(1);
    await variant.kubectl(['create', 'namespace', 'shop']);
    await variant.kubectl(['apply', '-f', '-'], await render('test/fixtures/with-impersonation'));
    admin = await connectCluster({ kubeconfigText: variant.sim.kubeconfig() });
  }, 120_000);
  afterAll(async () => {
    await variant?.stop();
  });

  it('lets the executor impersonate only the listed approvers and their groups', async () => {
    const ask = (a: string) => allowed(admin, 'executor', access(a));
    expect(await ask('impersonate users - bob')).toBe(true);
    expect(await ask('impersonate groups - shop-team')).toBe(true);
    for (const denied of [
      'impersonate users - admin',
      'impersonate users - alice-the-requester',
      'impersonate users',
      'impersonate groups - system:masters',
      'impersonate groups',
      'impersonate serviceaccounts opsloop gateway',
      'impersonate userextras/scopes',
    ])
      expect(await ask(denied), denied).toBe(false);
    // Nobody else gains anything from the variant.
    for (const account of ['planner', 'verifier', 'gateway'])
      expect(await allowed(admin, account, access('impersonate users - bob'))).toBe(false);
  });
});
