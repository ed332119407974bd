import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import {
  egressAllowed,
  inCidr,
  ingressAllowed,
  policyTypes,
} from '../../../src/controllers/node/network/policy.ts';
import type { PodObject } from '../../../src/controllers/node/pod-model.ts';

const pod = (name: string, ns: string, labels: Record<string, string>, ip: string): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { podIP: ip },
});
const policy = (name: string, ns: string, spec: Record<string, unknown>): KObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

const api = pod('api', 'shop', { app: 'api' }, '10.244.1.5');
const web = pod('web', 'shop', { app: 'web' }, '10.244.2.3');
const other = pod('x', 'other', { app: 'web' }, '10.244.3.3');
const ep = (p: PodObject, nsLabels: Record<string, string> = {}) => ({
  ip: String(p.status?.['podIP']),
  pod: p,
  namespaceLabels: { 'kubernetes.io/metadata.name': p.metadata.namespace!, ...nsLabels },
});

describe('NetworkPolicy evaluation', () => {
  it('leaves unselected pods open and isolates selected ones', () => {
    expect(ingressAllowed([], ep(web), api, 8080).allowed).toBe(true);
    const denyAll = policy('deny', 'shop', { podSelector: {} });
    expect(ingressAllowed([denyAll], ep(web), api, 8080)).toEqual({
      allowed: false,
      isolatedBy: 'shop/deny',
    });
  });

  it('matches pod, namespace and combined peers and named ports', () => {
    const p = policy('api', 'shop', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] },
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'ops' } },
              podSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ],
    });
    expect(ingressAllowed([p], ep(web), api, 8080).allowed).toBe(true);
    expect(ingressAllowed([p], ep(web), api, 9090).allowed).toBe(false);
    // Same labels, other namespace: a bare podSelector only means the policy's namespace.
    expect(ingressAllowed([p], ep(other), api, 8080).allowed).toBe(false);
    expect(ingressAllowed([p], ep(other, { team: 'ops' }), api, 9090).allowed).toBe(true);
  });

  it('applies ipBlock with except to non-pod sources like the API server', () => {
    const p = policy('api', 'shop', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16', except: ['172.18.5.0/24'] } }] }],
    });
    expect(ingressAllowed([p], { ip: '172.18.0.1' }, api, 8080).allowed).toBe(true);
    expect(ingressAllowed([p], { ip: '172.18.5.9' }, api, 8080).allowed).toBe(false);
    const podsOnly = policy('pods', 'shop', {
      podSelector: {},
      ingress: [{ from: [{ podSelector: {} }] }],
    });
    expect(ingressAllowed([podsOnly], { ip: '172.18.0.1' }, api, 8080).allowed).toBe(false);
    expect(inCidr('10.1.2.3', '0.0.0.0/0')).toBe(true);
  });

  it('derives policyTypes and checks egress with ports and protocols', () => {
    const p = policy('egress', 'shop', {
      podSelector: { matchLabels: { app: 'web' } },
      egress: [
        {
          to: [{ podSelector: { matchLabels: { app: 'api' } } }],
          ports: [{ port: 8000, endPort: 8100 }],
        },
      ],
    });
    expect(policyTypes(p)).toEqual(['Ingress', 'Egress']);
    expect(egressAllowed([p], web, ep(api), 8080).allowed).toBe(true);
    expect(egressAllowed([p], web, ep(api), 8080, 'UDP').allowed).toBe(false);
    expect(egressAllowed([p], web, ep(api), 9000).allowed).toBe(false);
    expect(egressAllowed([p], api, ep(web), 9000).allowed).toBe(true);
  });
});
