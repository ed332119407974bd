// Container-level faults of the scenario library: each shows the symptoms a real cluster
// shows (reason strings, events, logs, through @kubernetes/client-node), and the fix
// documented in the scenario's header makes its `verify` hold.
import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { app, runScenario, type ScenarioRun } from './harness.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

async function scenario(name: string, body: (run: ScenarioRun) => Promise<void>): Promise<void> {
  const run = await runScenario(name);
  try {
    await body(run);
  } finally {
    await run.stop();
  }
}

const waiting = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.waiting;
const lastTerminated = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.lastState?.terminated;

function patchDeployment(run: ScenarioRun, name: string, ops: unknown[]) {
  return run.apps.patchNamespacedDeployment(
    { name, namespace: run.namespace, body: ops },
    jsonPatch,
  );
}

describe('container faults', () => {
  it('bad-image-tag: ErrImagePull/ImagePullBackOff with containerd NotFound; a published tag fixes it', () =>
    scenario('bad-image-tag', async (run) => {
      await run.event(
        'Failed',
        /^Failed to pull image "nginx:1\.27\.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/nginx:1\.27\.9": failed to resolve reference "docker\.io\/library\/nginx:1\.27\.9": docker\.io\/library\/nginx:1\.27\.9: not found$/,
      );
      await run.event('Failed', /^Error: ErrImagePull$/);
      await run.event('BackOff', /^Back-off pulling image "nginx:1\.27\.9"$/);
      await run.waitFor('ImagePullBackOff', async () =>
        (await run.pods(app('storefront'))).some((p) => waiting(p)?.reason === 'ImagePullBackOff'),
      );
      await patchDeployment(run, 'storefront', [
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27.5' },
      ]);
      await run.solved();
    }));

  it('private-image-without-pull-secret: 401 Unauthorized; referencing the pull secret fixes it', () =>
    scenario('private-image-without-pull-secret', async (run) => {
      await run.event(
        'Failed',
        /^Failed to pull image "registry\.example\.com\/checkout\/checkout-api:1\.8\.0": rpc error: code = Unknown desc = .*failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https:\/\/registry\.example\.com\/token\?scope=repository%3Acheckout%2Fcheckout-api%3Apull&service=registry\.example\.com: 401 Unauthorized$/,
      );
      await run.apps.patchNamespacedDeployment(
        {
          name: 'checkout-api',
          namespace: run.namespace,
          body: {
            spec: { template: { spec: { imagePullSecrets: [{ name: 'registry-credentials' }] } } },
          },
        },
        strategic,
      );
      await run.solved();
    }));

  it('command-not-in-image: StartError exit 128 with the runc message; removing the stale command fixes it', () =>
    scenario('command-not-in-image', async (run) => {
      await run.event(
        'Failed',
        /^Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "python3": executable file not found in \$PATH: unknown$/,
      );
      const pod = await run.waitFor('a StartError in lastState', async () =>
        (await run.pods(app('report-exporter'))).find(
          (p) => lastTerminated(p)?.reason === 'StartError',
        ),
      );
      expect(lastTerminated(pod)?.exitCode).toBe(128);
      await patchDeployment(run, 'report-exporter', [
        { op: 'remove', path: '/spec/template/spec/containers/0/command' },
      ]);
      await run.solved();
    }));

  it('missing-required-env: CrashLoopBackOff logging the fatal line; loading the ConfigMap fixes it', () =>
    scenario('missing-required-env', async (run) => {
      const pod = await run.waitFor('CrashLoopBackOff', async () =>
        (await run.pods(app('ledger-service'))).find(
          (p) => waiting(p)?.reason === 'CrashLoopBackOff',
        ),
      );
      expect(lastTerminated(pod)).toMatchObject({ reason: 'Error', exitCode: 1 });
      expect(await run.logs(pod.metadata!.name!, 'ledger', true)).toContain(
        'fatal: LEDGER_DB_URL is not set',
      );
      await run.event(
        'BackOff',
        /^Back-off restarting failed container ledger in pod ledger-service-/,
      );
      await patchDeployment(run, 'ledger-service', [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/envFrom',
          value: [{ configMapRef: { name: 'ledger-config' } }],
        },
      ]);
      await run.solved();
    }));

  it('init-container-typo: Init:0/1 with NXDOMAIN in the init logs; correcting the name fixes it', () =>
    scenario('init-container-typo', async (run) => {
      const pod = await run.waitFor('a running init container', async () =>
        (await run.pods(app('orders-api'))).find(
          (p) => p.status?.initContainerStatuses?.[0]?.state?.running,
        ),
      );
      expect(pod.status?.phase).toBe('Pending');
      const logs = await run.waitFor('NXDOMAIN in init logs', async () => {
        const text = await run.logs(pod.metadata!.name!, 'wait-for-cache');
        return text.includes('waiting for orders-cache') && text;
      });
      expect(logs).toContain("** server can't find orders-cahce.shop.svc.cluster.local: NXDOMAIN");
      const deployment = await run.apps.readNamespacedDeployment({
        name: 'orders-api',
        namespace: run.namespace,
      });
      const command = deployment.spec!.template.spec!.initContainers![0]!.command!;
      await patchDeployment(run, 'orders-api', [
        {
          op: 'replace',
          path: '/spec/template/spec/initContainers/0/command',
          value: command.map((c) => c.replace('orders-cahce', 'orders-cache')),
        },
      ]);
      await run.solved();
    }));

  it('oomkilled: OOMKilled exit 137 in lastState; raising the limit fixes it', () =>
    scenario('oomkilled', async (run) => {
      const pod = await run.waitFor('a restarted OOMKilled container', async () =>
        (await run.pods(app('etl-worker'))).find(
          (p) =>
            lastTerminated(p)?.reason === 'OOMKilled' &&
            (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0,
        ),
      );
      expect(lastTerminated(pod)?.exitCode).toBe(137);
      await run.kubectl.ok([
        '-n',
        run.namespace,
        'set',
        'resources',
        'deployment/etl-worker',
        '-c',
        'worker',
        '--requests=memory=768Mi',
        '--limits=memory=1Gi',
      ]);
      await run.solved();
    }));

  it('liveness-probe-wrong-port: liveness failures and restarts; probing the serving port fixes it', () =>
    scenario('liveness-probe-wrong-port', async (run) => {
      await run.event(
        'Unhealthy',
        /^Liveness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8081\/healthz": dial tcp 10\.244\.\d+\.\d+:8081: connect: connection refused$/,
      );
      await run.event('Killing', /^Container cart failed liveness probe, will be restarted$/);
      await run.waitFor('restarts', async () =>
        (await run.pods(app('cart-service'))).some(
          (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0,
        ),
      );
      expect((await run.evaluate()).ok).toBe(false);
      await patchDeployment(run, 'cart-service', [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/livenessProbe/httpGet/port',
          value: 8080,
        },
      ]);
      await run.solved();
    }));

  it('readiness-probe-wrong-path: 404 probe failures, 0/1 Ready; probing /ready fixes it', () =>
    scenario('readiness-probe-wrong-path', async (run) => {
      await run.event(
        'Unhealthy',
        /^Readiness probe failed: HTTP probe failed with statuscode: 404$/,
      );
      const pods = await run.waitFor('3 running pods', async () => {
        const list = await run.pods(app('search-api'));
        return (
          list.filter((p) => p.status?.containerStatuses?.[0]?.state?.running).length === 3 && list
        );
      });
      expect(pods.every((p) => p.status?.containerStatuses?.[0]?.ready === false)).toBe(true);
      const endpoints = await run.waitFor('not-ready endpoints', async () => {
        const ep = await run.core.readNamespacedEndpoints({
          name: 'search-api',
          namespace: run.namespace,
        });
        return (ep.subsets?.[0]?.notReadyAddresses?.length ?? 0) > 0 && ep;
      });
      expect(endpoints.subsets?.[0]?.addresses ?? []).toEqual([]);
      await patchDeployment(run, 'search-api', [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/readinessProbe/httpGet/path',
          value: '/ready',
        },
      ]);
      await run.solved();
    }));

  it('missing-configmap-volume: FailedMount, ContainerCreating; referencing the existing ConfigMap fixes it', () =>
    scenario('missing-configmap-volume', async (run) => {
      await run.event(
        'FailedMount',
        /^MountVolume\.SetUp failed for volume "templates" : configmap "notification-templates" not found$/,
      );
      const pod = (await run.pods(app('notification-worker')))[0]!;
      expect(waiting(pod)?.reason).toBe('ContainerCreating');
      await patchDeployment(run, 'notification-worker', [
        {
          op: 'replace',
          path: '/spec/template/spec/volumes/0/configMap/name',
          value: 'notification-template',
        },
      ]);
      await run.solved();
    }));

  it('missing-secret-key: CreateContainerConfigError naming the key; the right key fixes it', () =>
    scenario('missing-secret-key', async (run) => {
      await run.event(
        'Failed',
        /^Error: couldn't find key stripe-api-key in Secret checkout\/payment-gateway-secrets$/,
      );
      const pod = await run.waitFor('CreateContainerConfigError', async () =>
        (await run.pods(app('payment-gateway'))).find(
          (p) => waiting(p)?.reason === 'CreateContainerConfigError',
        ),
      );
      expect(waiting(pod)?.message).toBe(
        "couldn't find key stripe-api-key in Secret checkout/payment-gateway-secrets",
      );
      await patchDeployment(run, 'payment-gateway', [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/key',
          value: 'stripe_api_key',
        },
      ]);
      await run.solved();
    }));

  it('failed-job: BackoffLimitExceeded with the fatal log; recreating the Job with its ConfigMap fixes it', () =>
    scenario('failed-job', async (run) => {
      const job = await run.waitFor(
        'the Job to fail',
        async () => {
          const j = await run.batch.readNamespacedJob({
            name: 'nightly-export',
            namespace: run.namespace,
          });
          return j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True') && j;
        },
        40_000,
      );
      expect(job.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      });
      const failed = (await run.pods('app.kubernetes.io/name=exporter')).find(
        (p) => p.status?.phase === 'Failed',
      )!;
      expect(await run.logs(failed.metadata!.name!)).toContain('fatal: EXPORT_BUCKET is not set');
      const spec = job.spec!;
      await run.batch.deleteNamespacedJob({
        name: 'nightly-export',
        namespace: run.namespace,
        propagationPolicy: 'Background',
      });
      await run.waitFor('the old Job gone', async () =>
        (await run.batch.listNamespacedJob({ namespace: run.namespace })).items.every(
          (j) => j.metadata?.name !== 'nightly-export',
        ),
      );
      const container = {
        ...spec.template.spec!.containers[0]!,
        envFrom: [{ configMapRef: { name: 'exporter-config' } }],
      };
      const labels = { ...spec.template.metadata?.labels };
      delete labels['controller-uid'];
      delete labels['batch.kubernetes.io/controller-uid'];
      delete labels['job-name'];
      delete labels['batch.kubernetes.io/job-name'];
      await run.batch.createNamespacedJob({
        namespace: run.namespace,
        body: {
          metadata: { name: 'nightly-export', labels: job.metadata?.labels },
          spec: {
            backoffLimit: 3,
            template: {
              metadata: { labels },
              spec: { restartPolicy: 'Never', containers: [container] },
            },
          },
        },
      });
      await run.solved(40_000);
    }));

  it('stuck-rollout-rollback: ProgressDeadlineExceeded on revision 2; kubectl rollout undo fixes it', () =>
    scenario('stuck-rollout-rollback', async (run) => {
      await run.applied;
      const deployment = await run.waitFor(
        'ProgressDeadlineExceeded',
        async () => {
          const d = await run.apps.readNamespacedDeployment({
            name: 'order-service',
            namespace: run.namespace,
          });
          return (
            d.status?.conditions?.some(
              (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
            ) && d
          );
        },
        40_000,
      );
      expect(deployment.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
        status: 'False',
      });
      expect(deployment.status?.conditions?.find((c) => c.type === 'Progressing')?.message).toMatch(
        /^ReplicaSet "order-service-[a-z0-9]+" has timed out progressing\.$/,
      );
      expect(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
      const crashing = (await run.pods(app('order-service'))).find(
        (p) => waiting(p)?.reason === 'CrashLoopBackOff',
      )!;
      expect(await run.logs(crashing.metadata!.name!, undefined, true)).toContain(
        'fatal: ORDER_EVENTS_TOPIC is not set',
      );
      await run.kubectl.ok(['-n', run.namespace, 'rollout', 'undo', 'deployment/order-service']);
      await run.solved(40_000);
    }));
});
