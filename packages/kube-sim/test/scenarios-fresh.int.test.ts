// The second held-out set (scenarios-fresh/): each scenario loads, settles into the symptoms
// its header describes (seen through @kubernetes/client-node and kubectl, as a person would),
// its verify checks do not hold yet, and the header's correct fix — typed here as kubectl
// commands and client patches — makes every verify check hold and no forbid check hold.
import {
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { startScenarioSim, type ScenarioSim } from '../src/mod.ts';
import { Kubectl } from './helpers/kubectl.ts';

vi.setConfig({ testTimeout: 60_000 });

const path = (name: string) =>
  fileURLToPath(new URL(`../scenarios-fresh/${name}.yaml`, import.meta.url));

interface Ctx {
  run: ScenarioSim;
  ns: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  hpa: AutoscalingV2Api;
  kubectl: Kubectl;
  /** Polls (50 ms) until `check` yields a value; the error names `what` and the last failure. */
  until<T>(what: string, check: () => Promise<T | undefined | false>, ms?: number): Promise<T>;
  pods(selector: string): Promise<V1Pod[]>;
  /** Waits for an event of this reason whose message matches. */
  event(reason: string, message: RegExp): Promise<void>;
}

async function open(name: string): Promise<Ctx> {
  const run = await startScenarioSim(path(name));
  await run.applied;
  const kc = new KubeConfig();
  kc.loadFromString(run.kubeconfig());
  const core = kc.makeApiClient(CoreV1Api);
  const ns = run.namespace;
  const until: Ctx['until'] = async (what, check, ms = 20_000) => {
    const deadline = Date.now() + ms;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
  };
  const pods = async (labelSelector: string) =>
    (await core.listNamespacedPod({ namespace: ns, labelSelector })).items;
  return {
    run,
    ns,
    core,
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    hpa: kc.makeApiClient(AutoscalingV2Api),
    kubectl: new Kubectl(run.sim),
    until,
    pods,
    event: async (reason, message) => {
      await until(`event ${reason} ~ ${message}`, async () =>
        (await core.listNamespacedEvent({ namespace: ns })).items.some(
          (e) => e.reason === reason && message.test(e.message ?? ''),
        ),
      );
    },
  };
}

/** The scenario's verify list does not hold while it is broken. */
async function expectBroken(ctx: Ctx): Promise<void> {
  const verdict = await ctx.run.solved();
  expect(verdict.ok).toBe(false);
  expect(verdict.evaluation.verify.some((c) => !c.ok)).toBe(true);
}

async function expectSolved(ctx: Ctx): Promise<void> {
  const verdict = await ctx.run.waitSolved(40_000);
  expect(verdict.report).toBe('');
  expect(verdict.ok).toBe(true);
}

const restarts = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
const lastTerminated = (pod: V1Pod) =>
  pod.status?.containerStatuses?.[0]?.lastState?.terminated?.reason;

async function withScenario(name: string, body: (ctx: Ctx) => Promise<void>): Promise<void> {
  const ctx = await open(name);
  try {
    await body(ctx);
  } finally {
    await ctx.run.stop();
  }
}

describe('scenarios-fresh', () => {
  it('redis-host-stale-configmap: Init:0/1 on a host no Service has; fixed in the ConfigMap', () =>
    withScenario('redis-host-stale-configmap', async (ctx) => {
      const sel = 'app.kubernetes.io/name=cart-api';
      const [pod] = await ctx.until('cart-api pods waiting in init', async () => {
        const pods = await ctx.pods(sel);
        const waiting = pods.filter(
          (p) => p.status?.initContainerStatuses?.[0]?.state?.running !== undefined,
        );
        return waiting.length === 2 && waiting;
      });
      expect(pod!.status?.phase).toBe('Pending');
      const log = await ctx.until('the init container to log its failed lookups', async () => {
        const text = String(
          await ctx.core.readNamespacedPodLog({
            name: pod!.metadata!.name!,
            namespace: ctx.ns,
            container: 'wait-for-redis',
          }),
        );
        return text.includes('waiting for redis') && text;
      });
      expect(log).toContain("nc: bad address 'cart-redis'");
      await ctx.until('redis Ready', async () => {
        const redis = await ctx.apps.readNamespacedStatefulSet({
          name: 'cart-redis-master',
          namespace: ctx.ns,
        });
        return redis.status?.readyReplicas === 1;
      });
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'configmap', 'cart-api-config', '--type', 'merge'],
        ...['-p', '{"data":{"REDIS_HOST":"cart-redis-master"}}'],
      ]);
      await ctx.kubectl.ok(['-n', ctx.ns, 'rollout', 'restart', 'deployment', 'cart-api']);
      await expectSolved(ctx);
    }));

  it('keycloak-liveness-kills-slow-start: killed before it listens; a startup probe fixes it', () =>
    withScenario('keycloak-liveness-kills-slow-start', async (ctx) => {
      await ctx.until('keycloak-0 restarted by its liveness probe', async () => {
        const [pod] = await ctx.pods('app.kubernetes.io/name=keycloak');
        return pod !== undefined && restarts(pod) >= 2;
      });
      await ctx.event('Unhealthy', /^Liveness probe failed: .*:8080: connect: connection refused/);
      await ctx.event('Killing', /failed liveness probe, will be restarted/);
      const pods = await ctx.pods('app.kubernetes.io/name=keycloak');
      expect(pods.map((p) => p.metadata?.name)).toEqual(['keycloak-0']);
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'statefulset', 'keycloak', '--type', 'strategic', '-p'],
        JSON.stringify({
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'keycloak',
                    startupProbe: {
                      httpGet: { path: '/health/started', port: 8080 },
                      periodSeconds: 10,
                      failureThreshold: 30,
                    },
                  },
                ],
              },
            },
          },
        }),
      ]);
      // A StatefulSet does not replace a pod that never became Ready (kubernetes#67250).
      await ctx.kubectl.ok(['-n', ctx.ns, 'delete', 'pod', 'keycloak-0', '--wait=false']);
      await expectSolved(ctx);
    }));

  it('egress-policy-missing-db-port: DB connections time out; an egress rule for 5432 fixes it', () =>
    withScenario('egress-policy-missing-db-port', async (ctx) => {
      const sel = 'app.kubernetes.io/name=order-svc';
      await ctx.until('order-svc restarting', async () => {
        const pods = await ctx.pods(sel);
        return pods.length === 3 && pods.every((p) => restarts(p) >= 1);
      });
      // Once orders-db is up the refusal (no endpoints yet) turns into a dropped packet.
      const log = await ctx.until('order-svc to time out on the database', async () => {
        const [pod] = await ctx.pods(sel);
        const text = String(
          await ctx.core.readNamespacedPodLog({
            name: pod!.metadata!.name!,
            namespace: ctx.ns,
            previous: true,
          }),
        );
        return text.includes('i/o timeout') && text;
      });
      expect(log).toContain('error: cannot connect to orders-db:5432: i/o timeout');
      expect(log).not.toContain('orders-cache');
      await ctx.until('orders-db Ready', async () => {
        const sts = await ctx.apps.readNamespacedStatefulSet({
          name: 'orders-db',
          namespace: ctx.ns,
        });
        return sts.status?.readyReplicas === 1;
      });
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'networkpolicy', 'order-svc-egress', '--type', 'json', '-p'],
        JSON.stringify([
          {
            op: 'add',
            path: '/spec/egress/-',
            value: {
              to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql' } } }],
              ports: [{ protocol: 'TCP', port: 5432 }],
            },
          },
        ]),
      ]);
      await expectSolved(ctx);
    }));

  it('hpa-target-renamed: FailedGetScale on a deleted name; retargeting the HPA fixes it', () =>
    withScenario('hpa-target-renamed', async (ctx) => {
      const hpa = await ctx.until('the HPA to report it cannot get the scale', async () => {
        const h = await ctx.hpa.readNamespacedHorizontalPodAutoscaler({
          name: 'search-api',
          namespace: ctx.ns,
        });
        const able = h.status?.conditions?.find((c) => c.type === 'AbleToScale');
        return able?.status === 'False' && h;
      });
      const able = hpa.status?.conditions?.find((c) => c.type === 'AbleToScale');
      expect(able?.reason).toBe('FailedGetScale');
      expect(able?.message).toMatch(/"search-api" not found/);
      await ctx.until('search-api-v2 serving with its one pod', async () => {
        const dep = await ctx.apps.readNamespacedDeployment({
          name: 'search-api-v2',
          namespace: ctx.ns,
        });
        return dep.status?.availableReplicas === 1 && dep.spec?.replicas === 1;
      });
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'hpa', 'search-api', '--type', 'merge', '-p'],
        '{"spec":{"scaleTargetRef":{"name":"search-api-v2"}}}',
      ]);
      await expectSolved(ctx);
    }));

  it('limitrange-blocks-rollout: new pods refused by the LimitRange; a 1Gi limit fixes it', () =>
    withScenario('limitrange-blocks-rollout', async (ctx) => {
      await ctx.event(
        'FailedCreate',
        /is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi/,
      );
      const dep = await ctx.until('the ReplicaFailure condition', async () => {
        const d = await ctx.apps.readNamespacedDeployment({ name: 'ranker', namespace: ctx.ns });
        return d.status?.conditions?.some((c) => c.type === 'ReplicaFailure') && d;
      });
      expect(dep.status?.updatedReplicas ?? 0).toBe(0);
      const pods = await ctx.pods('app.kubernetes.io/name=ranker');
      expect(new Set(pods.map((p) => p.spec?.containers[0]?.image))).toEqual(
        new Set(['registry.gitlab.com/recsys/ranker:1.4.0']),
      );
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'set', 'resources', 'deployment', 'ranker', '-c', 'ranker'],
        '--limits=memory=1Gi',
      ]);
      await expectSolved(ctx);
    }));

  it('reindex-job-wrong-path: 404 until BackoffLimitExceeded; a corrected Job succeeds', () =>
    withScenario('reindex-job-wrong-path', async (ctx) => {
      const job = await ctx.until('the Job to fail', async () => {
        const j = await ctx.batch.readNamespacedJob({
          name: 'reindex-products',
          namespace: ctx.ns,
        });
        return j.status?.conditions?.some((c) => c.type === 'Failed') && j;
      });
      const failed = job.status?.conditions?.find((c) => c.type === 'Failed');
      expect(failed?.reason).toBe('BackoffLimitExceeded');
      const pods = await ctx.pods('job-name=reindex-products');
      expect(pods).toHaveLength(4);
      expect(pods.every((p) => p.status?.phase === 'Failed')).toBe(true);
      const log = String(
        await ctx.core.readNamespacedPodLog({ name: pods[0]!.metadata!.name!, namespace: ctx.ns }),
      );
      expect(log).toContain('curl: (22) The requested URL returned error: 404');
      await expectBroken(ctx);

      const replacement: V1Job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'reindex-products', labels: job.metadata?.labels ?? {} },
        spec: {
          backoffLimit: 3,
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'reindex-products', team: 'catalog' } },
            spec: {
              restartPolicy: 'Never',
              containers: [
                {
                  ...job.spec!.template.spec!.containers[0]!,
                  args: job.spec!.template.spec!.containers[0]!.args!.map((a) =>
                    a.replace('/admin/reindx', '/admin/reindex'),
                  ),
                },
              ],
            },
          },
        },
      };
      await ctx.batch.deleteNamespacedJob({
        name: 'reindex-products',
        namespace: ctx.ns,
        propagationPolicy: 'Background',
      });
      await ctx.until('the old Job to be gone', async () =>
        ctx.batch
          .readNamespacedJob({ name: 'reindex-products', namespace: ctx.ns })
          .then(() => false)
          .catch(() => true),
      );
      await ctx.batch.createNamespacedJob({ namespace: ctx.ns, body: replacement });
      await expectSolved(ctx);
    }));

  it('traefik-toleration-value-typo: Pending on untolerated edge taint; the right value fixes it', () =>
    withScenario('traefik-toleration-value-typo', async (ctx) => {
      await ctx.event(
        'FailedScheduling',
        /^0\/4 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector, 2 node\(s\) had untolerated taint \{dedicated: edge\}/,
      );
      const pods = await ctx.pods('app.kubernetes.io/name=traefik');
      expect(pods.map((p) => p.status?.phase)).toEqual(['Pending', 'Pending']);
      await ctx.until('node-exporter ready on all four nodes', async () => {
        const ds = await ctx.apps.readNamespacedDaemonSet({
          name: 'node-exporter',
          namespace: ctx.ns,
        });
        return ds.status?.numberReady === 4;
      });
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'deployment', 'traefik', '--type', 'json', '-p'],
        '[{"op":"replace","path":"/spec/template/spec/tolerations/0/value","value":"edge"}]',
      ]);
      await expectSolved(ctx);
      const placed = await ctx.pods('app.kubernetes.io/name=traefik');
      expect(placed.map((p) => p.spec?.nodeName).sort()).toEqual(['node-3', 'node-4']);
    }));

  it('distroless-exec-probe-curl: exec probe cannot start curl; an httpGet probe fixes it', () =>
    withScenario('distroless-exec-probe-curl', async (ctx) => {
      await ctx.event(
        'Unhealthy',
        /^Readiness probe (failed|errored): .*exec: "curl": executable file not found in \$PATH/,
      );
      const pods = await ctx.pods('app=gateway');
      expect(pods).toHaveLength(3);
      expect(pods.every((p) => p.status?.phase === 'Running' && restarts(p) === 0)).toBe(true);
      expect(pods.every((p) => p.status?.containerStatuses?.[0]?.ready === false)).toBe(true);
      const migrate = await ctx.until('the migration Job to complete', async () => {
        const pods = await ctx.pods('app=gateway-migrate');
        return pods[0]?.status?.phase === 'Succeeded' && pods;
      });
      expect(migrate.map((p) => [p.status?.phase, restarts(p)])).toEqual([['Succeeded', 1]]);
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'deployment', 'gateway', '--type', 'json', '-p'],
        JSON.stringify([
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/readinessProbe',
            value: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          },
        ]),
      ]);
      await expectSolved(ctx);
    }));

  it('two-faults-rabbitmq-oom-and-targetport: OOMKilled broker and a stale targetPort; both fixes', () =>
    withScenario('two-faults-rabbitmq-oom-and-targetport', async (ctx) => {
      await ctx.until('rabbitmq-0 OOMKilled', async () => {
        const [pod] = await ctx.pods('app.kubernetes.io/name=rabbitmq');
        return pod !== undefined && lastTerminated(pod) === 'OOMKilled';
      });
      const [worker] = await ctx.until('the worker crash-looping', async () => {
        const pods = await ctx.pods('app.kubernetes.io/name=notify-worker');
        return pods.length === 2 && pods.every((p) => restarts(p) >= 1) && pods;
      });
      const log = String(
        await ctx.core.readNamespacedPodLog({
          name: worker!.metadata!.name!,
          namespace: ctx.ns,
          previous: true,
        }),
      );
      expect(log).toContain('error: cannot connect to rabbitmq:5672: connection refused');
      const ep = await ctx.until('notify-api Ready behind its Service', async () => {
        const e = await ctx.core.readNamespacedEndpoints({ name: 'notify-api', namespace: ctx.ns });
        return e.subsets?.[0]?.addresses?.length === 2 && e;
      });
      expect(ep.subsets?.[0]?.ports?.[0]?.port).toBe(8080);
      await expectBroken(ctx);

      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'set', 'resources', 'statefulset', 'rabbitmq', '-c', 'rabbitmq'],
        '--limits=memory=512Mi',
      ]);
      await ctx.kubectl.ok(['-n', ctx.ns, 'delete', 'pod', 'rabbitmq-0', '--wait=false']);
      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'service', 'notify-api', '--type', 'json', '-p'],
        '[{"op":"replace","path":"/spec/ports/0/targetPort","value":3000}]',
      ]);
      await expectSolved(ctx);
    }));

  it('healthy-odd-etl: nothing to fix; the oddities are there and verify already holds', () =>
    withScenario('healthy-odd-etl', async (ctx) => {
      await expectSolved(ctx);
      const backfill = await ctx.pods('job-name=backfill-2026-11');
      expect(backfill.map((p) => p.status?.phase).sort()).toEqual(['Failed', 'Succeeded']);
      const pvc = await ctx.core.readNamespacedPersistentVolumeClaim({
        name: 'restore-scratch',
        namespace: ctx.ns,
      });
      expect(pvc.status?.phase).toBe('Pending');
      await ctx.event('WaitForFirstConsumer', /waiting for first consumer to be created/);
      const ep = await ctx.core.readNamespacedEndpoints({
        name: 'warehouse-replica',
        namespace: ctx.ns,
      });
      expect(ep.subsets?.[0]?.addresses?.[0]?.ip).toBe('10.20.30.41');
      const warnings = (await ctx.core.listNamespacedEvent({ namespace: ctx.ns })).items.filter(
        (e) => e.type === 'Warning' && e.reason === 'FailedScheduling',
      );
      expect(warnings).toEqual([]);
    }));
});

/** Applies a shortcut the scenario's header rejects and expects its forbid list to catch it. */
async function expectForbidden(ctx: Ctx, what: RegExp): Promise<void> {
  const verdict = await ctx.until('the shortcut to be flagged', async () => {
    const v = await ctx.run.solved();
    return v.evaluation.forbid.some((c) => !c.ok) && v;
  });
  expect(verdict.ok).toBe(false);
  expect(verdict.report).toMatch(what);
}

describe('scenarios-fresh shortcuts are caught by forbid', () => {
  it('a Service under the stale redis name', () =>
    withScenario('redis-host-stale-configmap', async (ctx) => {
      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'create', 'service', 'clusterip', 'cart-redis', '--tcp=6379:6379'],
      ]);
      await expectForbidden(ctx, /forbid VIOLATED a Service with the old name/);
    }));

  it('deleting default-deny egress', () =>
    withScenario('egress-policy-missing-db-port', async (ctx) => {
      await ctx.kubectl.ok(['-n', ctx.ns, 'delete', 'networkpolicy', 'default-deny-egress']);
      await expectForbidden(ctx, /forbid VIOLATED NetworkPolicy default-deny-egress/);
    }));

  it('an egress rule to any destination on 5432', () =>
    withScenario('egress-policy-missing-db-port', async (ctx) => {
      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'networkpolicy', 'order-svc-egress', '--type', 'json', '-p'],
        '[{"op":"add","path":"/spec/egress/-","value":{"ports":[{"protocol":"TCP","port":5432}]}}]',
      ]);
      await expectForbidden(ctx, /forbid VIOLATED order-svc may now reach any destination/);
    }));

  it('a keyless Exists toleration for traefik', () =>
    withScenario('traefik-toleration-value-typo', async (ctx) => {
      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'patch', 'deployment', 'traefik', '--type', 'json', '-p'],
        '[{"op":"replace","path":"/spec/template/spec/tolerations","value":[{"operator":"Exists"}]}]',
      ]);
      await expectForbidden(ctx, /forbid VIOLATED a toleration without a key/);
    }));

  it('recreating the old Deployment name for the HPA', () =>
    withScenario('hpa-target-renamed', async (ctx) => {
      await ctx.kubectl.ok([
        ...['-n', ctx.ns, 'create', 'deployment', 'search-api'],
        '--image=acmecorp/search-api:5.0.1',
      ]);
      await expectForbidden(ctx, /forbid VIOLATED a Deployment under the old name/);
    }));
});
