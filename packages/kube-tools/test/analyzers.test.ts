import { describe, expect, it } from 'vitest';
import { cronProblem } from '../src/analyzers/batch.ts';
import {
  ANALYZERS,
  analyzeSnapshot,
  emptySnapshot,
  findingJson,
  formatReport,
} from '../src/mod.ts';
import type { Finding, KubeObject, Snapshot } from '../src/mod.ts';

function snapshot(parts: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot('shop'), takenAt: '2026-01-01T00:00:00Z', ...parts };
}

const pod = (
  name: string,
  labels: Record<string, string>,
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  spec: {
    containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }] }],
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
  },
  ...extra,
});

describe('analyzers (pure, over a snapshot)', () => {
  it('cover at least 25 distinct failure classes, each code owned by one analyzer', () => {
    const codes = ANALYZERS.flatMap((a) => a.codes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(25);
  });

  it('an empty namespace has no findings', () => {
    expect(analyzeSnapshot(snapshot({}))).toEqual([]);
  });

  it('are deterministic: the same snapshot gives the same findings in the same order', () => {
    const s = snapshot({
      pods: [pod('web-1', { app: 'web' })],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: 'shop' },
          spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 9999 }] },
        },
      ],
      pdbs: [
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'api', namespace: 'shop' },
          spec: { selector: { matchLabels: { app: 'api' } } },
        },
      ],
    });
    const first = JSON.stringify(analyzeSnapshot(structuredClone(s)));
    expect(JSON.stringify(analyzeSnapshot(structuredClone(s)))).toBe(first);
    expect(JSON.parse(first).map((f: { code: string }) => f.code)).toEqual([
      'SERVICE_SELECTOR_NO_MATCH',
      'PDB_NO_PODS',
    ]);
  });

  it('flags a targetPort no selected pod exposes and proposes the container port', () => {
    const s = snapshot({
      pods: [pod('blog-1', { app: 'blog' })],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'blog', namespace: 'shop' },
          spec: { selector: { app: 'blog' }, ports: [{ port: 80, targetPort: 9090 }] },
        },
      ],
      endpoints: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name: 'blog', namespace: 'shop' },
          subsets: [{ addresses: [{ ip: '10.0.0.1' }] }],
        },
      ],
    });
    const [f] = analyzeSnapshot(s);
    expect(f).toMatchObject({
      code: 'SERVICE_TARGETPORT_MISMATCH',
      remediations: [
        {
          action: 'PatchServicePort',
          args: { namespace: 'shop', name: 'blog', port: 80, targetPort: 8080 },
        },
      ],
    });
  });

  it('never proposes a remediation whose args the action schema rejects', () => {
    const s = snapshot({
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'api', namespace: 'shop' },
          spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
        },
      ],
      deployments: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api', namespace: 'shop', uid: 'u1' },
          spec: { replicas: 1, selector: { matchLabels: { app: 'api;rm -rf /' } } },
        },
      ],
    });
    const findings = analyzeSnapshot(s);
    expect(findings.find((f) => f.code === 'SERVICE_SELECTOR_NO_MATCH')?.remediations).toEqual([]);
  });

  it('drops a symptom finding when the same object has a specific cause', () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop', uid: 'd1' },
      spec: { replicas: 2 },
      status: {
        availableReplicas: 0,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "api-2" has timed out progressing.',
          },
        ],
      },
    };
    const codes = analyzeSnapshot(snapshot({ deployments: [d] })).map((f) => f.code);
    expect(codes).toEqual(['ROLLOUT_STUCK']);
  });

  it('reports a workload that is still starting at info, and one with a failing pod as a warning', () => {
    const sts: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'search', namespace: 'shop', uid: 's1' },
      spec: { replicas: 2 },
      status: { readyReplicas: 1 },
    };
    const owned = {
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'search', uid: 's1', controller: true },
      ],
    };
    const ready = pod('search-0', { app: 'search' });
    ready.metadata = { ...ready.metadata, ...owned };
    const waiting = (reason: string, restartCount: number): KubeObject => ({
      ...pod('search-1', { app: 'search' }),
      metadata: { name: 'search-1', namespace: 'shop', ...owned },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'app', ready: false, restartCount, state: { waiting: { reason } } },
        ],
      },
    });
    const unavailable = (p: KubeObject) =>
      analyzeSnapshot(snapshot({ statefulSets: [sts], pods: [ready, p] })).find(
        (f) => f.code === 'WORKLOAD_UNAVAILABLE',
      );
    const starting = unavailable(waiting('ContainerCreating', 0));
    expect(starting?.severity).toBe('info');
    expect(starting?.explanation).toContain('still starting');
    // A crashing pod: the workload is reported as a problem (by the crash analyzer, which
    // then drops the generic symptom), never as merely starting.
    const crashing = analyzeSnapshot(
      snapshot({ statefulSets: [sts], pods: [ready, waiting('CrashLoopBackOff', 3)] }),
    );
    expect(crashing.some((f) => f.severity === 'info')).toBe(false);
    expect(crashing.some((f) => f.severity === 'warning' || f.severity === 'critical')).toBe(true);
  });

  it('validates cron schedules', () => {
    expect(cronProblem('0 3 * * *')).toBeUndefined();
    expect(cronProblem('*/15 9-17 * * mon-fri')).toBeUndefined();
    expect(cronProblem('@hourly')).toBeUndefined();
    expect(cronProblem('0 25 * * *')).toMatch(/outside 0-23/);
    expect(cronProblem('0 3 * *')).toMatch(/4 fields/);
  });

  it('the report heading counts findings per severity in plain English', () => {
    const finding = (severity: Finding['severity']): Finding => ({
      code: 'X',
      severity,
      object: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p' },
      evidence: [],
      explanation: 'x',
      remediations: [],
    });
    const heading = (fs: Finding[]) => formatReport(new Map([['shop', fs]])).split('\n')[0];
    expect(heading([finding('critical'), finding('critical'), finding('warning')])).toBe(
      'Namespace shop: 2 critical, 1 warning',
    );
    expect(heading([finding('warning'), finding('warning')])).toBe('Namespace shop: 2 warnings');
    expect(heading([finding('info'), finding('info')])).toBe('Namespace shop: 2 info');
    expect(heading([])).toBe('Namespace shop: no findings');
  });

  it('the report fits 100 columns and the JSON has exactly the documented keys', () => {
    const s = snapshot({
      pods: [pod('web-1', { app: 'web' })],
      services: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'a-really-long-service-name-that-goes-on-and-on', namespace: 'shop' },
          spec: { selector: { 'app.kubernetes.io/name': 'x'.repeat(60) }, ports: [{ port: 80 }] },
        },
      ],
    });
    const findings = analyzeSnapshot(s);
    const text = formatReport(new Map([['shop', findings]]));
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(Object.keys(findingJson(findings[0]!))).toEqual([
      'code',
      'severity',
      'object',
      'evidence',
      'explanation',
      'remediations',
    ]);
  });
});
