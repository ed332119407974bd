import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError, PreconditionError, connectCluster, planStep } from '../src/mod.ts';
import type { Cluster } from '../src/mod.ts';
import { NS, seedShop } from './helpers/seed.ts';
import { startSimEnv } from './helpers/sim.ts';
import type { SimEnv } from './helpers/sim.ts';

/**
 * An API server that ignores `Accept: ...;as=PartialObjectMetadataList` (servers before
 * 1.15 did) answers a Secret list with the values. kube-tools must refuse such an answer
 * rather than use it. The "old server" here is a real HTTP proxy in front of kube-sim that
 * drops the metadata-only request and forwards plain JSON.
 */
let env: SimEnv;
let proxy: Server;
let oldServer: Cluster;
const answered: string[] = [];
const TOKEN_B64 = Buffer.from('not-a-registry-credential').toString('base64');

beforeAll(async () => {
  env = await startSimEnv();
  await seedShop(env.cluster);
  const upstream = new URL(env.cluster.server);
  proxy = createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    if (String(headers.accept).includes('as=PartialObjectMetadata'))
      headers.accept = 'application/json';
    const forward = httpsRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers,
        rejectUnauthorized: false,
      },
      (up) => {
        let body = '';
        up.on('data', (chunk) => (body += String(chunk)));
        up.on('end', () => {
          answered.push(body);
          res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/json' });
          res.end(body);
        });
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  oldServer = await connectCluster({
    kubeconfigText: env.sim
      .kubeconfig()
      .replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: http://127.0.0.1:${port}`),
  });
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await env?.stop();
});

describe('Secret values are refused when the server will not answer metadata only', () => {
  it('secretNames fails with 406 instead of using a full Secret list', async () => {
    expect(await env.cluster.secretNames(NS)).toEqual(['app-settings', 'registry-pull']);
    const error = await oldServer.secretNames(NS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(406);
    expect((error as Error).message).toMatch(/SecretList instead of PartialObjectMetadataList/);
    // The old server did send the values; none of them is in what the caller got.
    expect(answered.some((body) => body.includes(TOKEN_B64))).toBe(true);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(TOKEN_B64);
  });

  it('SetImagePullSecrets refuses to plan from such an answer', async () => {
    const args = { namespace: NS, kind: 'Deployment', name: 'web', secrets: ['registry-pull'] };
    await expect(planStep('SetImagePullSecrets', args, env.cluster)).resolves.toMatchObject({
      action: 'SetImagePullSecrets',
    });
    const error = await planStep('SetImagePullSecrets', args, oldServer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as Error).message).toMatch(/did not answer Secret metadata only/);
    expect(JSON.stringify(error) + (error as Error).message).not.toMatch(/auths|e30=|eyJ/);
  });
});
