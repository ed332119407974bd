// Network faults of the scenario library: Service ports and NetworkPolicies, observed
// through @kubernetes/client-node and the API server's service proxy, then fixed.
import { PatchStrategy, setHeaderOptions, type V1NetworkPolicy } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { app, runScenario, type ScenarioRun } from './harness.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

async function scenario(name: string, body: (run: ScenarioRun) => Promise<void>): Promise<void> {
  const run = await runScenario(name);
  try {
    await body(run);
  } finally {
    await run.stop();
  }
}

describe('network faults', () => {
  it('service-targetport-wrong: endpoints on 8080, connection refused; targeting port 80 fixes it', () =>
    scenario('service-targetport-wrong', async (run) => {
      const endpoints = await run.waitFor('2 ready endpoints', async () => {
        const ep = await run.core.readNamespacedEndpoints({
          name: 'blog',
          namespace: run.namespace,
        });
        return (ep.subsets?.[0]?.addresses?.length ?? 0) === 2 && ep;
      });
      expect(endpoints.subsets?.[0]?.ports?.[0]?.port).toBe(8080);
      const result = await run.evaluate();
      expect(result.verify[0]?.ok).toBe(false);
      expect(result.verify[0]?.observed).toMatch(/HTTP 50[23]/);
      await run.core.patchNamespacedService(
        {
          name: 'blog',
          namespace: run.namespace,
          body: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 80 }],
        },
        jsonPatch,
      );
      await run.solved();
    }));

  it('networkpolicy-blocks-frontend: the frontend times out to product-api; allowing it in the policy fixes it', () =>
    scenario('networkpolicy-blocks-frontend', async (run) => {
      // A storefront that starts before product-api has ready endpoints gets "connection
      // refused" (kube-proxy rejects a Service without endpoints, as on a real cluster); once
      // they exist, the policy drops the packets: a timeout.
      await run.waitFor('a crash after product-api became ready', async () => {
        for (const p of await run.pods(app('storefront'))) {
          if ((p.status?.containerStatuses?.[0]?.restartCount ?? 0) === 0) continue;
          const previous = await run.logs(p.metadata!.name!, 'web', true);
          if (previous.includes('error: cannot connect to product-api:8080: i/o timeout'))
            return true;
        }
        return undefined;
      });
      const product = await run.pods(app('product-api'));
      expect(product.every((p) => p.status?.containerStatuses?.[0]?.ready)).toBe(true);
      const policy: V1NetworkPolicy = await run.networking.readNamespacedNetworkPolicy({
        name: 'product-api-ingress',
        namespace: run.namespace,
      });
      // client-node names the field `_from` (`from` is reserved in its generator).
      const from = [
        ...(policy.spec?.ingress?.[0]?._from ?? []),
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'storefront' } } },
      ];
      await run.networking.patchNamespacedNetworkPolicy(
        {
          name: 'product-api-ingress',
          namespace: run.namespace,
          body: [{ op: 'replace', path: '/spec/ingress/0/from', value: from }],
        },
        jsonPatch,
      );
      await run.solved(40_000);
    }));

  it('default-deny-egress-dns: lookups time out under default-deny egress; allowing DNS egress fixes it', () =>
    scenario('default-deny-egress-dns', async (run) => {
      const pod = await run.waitFor('a crashed settlement-worker pod', async () =>
        (await run.pods(app('settlement-worker'))).find(
          (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0,
        ),
      );
      expect(await run.logs(pod.metadata!.name!, 'worker', true)).toMatch(
        /^error: cannot connect to payments-db:5432: .*i\/o timeout$/m,
      );
      await run.networking.createNamespacedNetworkPolicy({
        namespace: run.namespace,
        body: {
          metadata: { name: 'allow-dns-egress' },
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [
              {
                to: [
                  {
                    namespaceSelector: {
                      matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
                    },
                    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                  },
                ],
                ports: [
                  { protocol: 'UDP', port: 53 },
                  { protocol: 'TCP', port: 53 },
                ],
              },
            ],
          },
        },
      });
      await run.solved(40_000);
    }));
});
