import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/api/types.ts';
import { Backoff, goDuration } from '../../../src/controllers/node/kubelet/backoff.ts';
import {
  missingVolume,
  resolveEnv,
  type ConfigLookup,
} from '../../../src/controllers/node/kubelet/config-refs.ts';
import { LogBuffer, selectLines } from '../../../src/controllers/node/kubelet/log-buffer.ts';
import {
  buildPodStatus,
  qosClass,
  type ContainerRecord,
} from '../../../src/controllers/node/kubelet/pod-status.ts';
import type { PodObject } from '../../../src/controllers/node/pod-model.ts';

const pod = (spec: Partial<PodObject['spec']> = {}): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

const record = (
  state: ContainerRecord['state'],
  extra: Partial<ContainerRecord> = {},
): ContainerRecord => ({
  name: 'app',
  image: 'nginx',
  imageID: '',
  state,
  lastState: {},
  ready: false,
  started: false,
  restartCount: 0,
  ...extra,
});

const view = (main: ContainerRecord[], extra = {}) => ({
  init: [],
  main,
  podIP: '10.244.1.2',
  hostIP: '172.18.0.2',
  startTime: '2026-01-01T00:00:00Z',
  initialized: true,
  failed: false,
  now: '2026-01-01T00:00:05Z',
  ...extra,
});

const terminated = (exitCode: number) => ({
  terminated: {
    exitCode,
    reason: exitCode ? 'Error' : 'Completed',
    startedAt: 'a',
    finishedAt: 'b',
  },
});

describe('pod status', () => {
  it('derives the phase like the kubelet', () => {
    expect(
      buildPodStatus(pod(), view([record({ waiting: { reason: 'ContainerCreating' } })])).phase,
    ).toBe('Pending');
    expect(buildPodStatus(pod(), view([record({ running: { startedAt: 'x' } })])).phase).toBe(
      'Running',
    );
    const crashLoop = record(
      { waiting: { reason: 'CrashLoopBackOff' } },
      { lastState: terminated(1), restartCount: 2 },
    );
    expect(buildPodStatus(pod(), view([crashLoop])).phase).toBe('Running');
    expect(
      buildPodStatus(pod({ restartPolicy: 'Never' }), view([record(terminated(0))])).phase,
    ).toBe('Succeeded');
    expect(
      buildPodStatus(pod({ restartPolicy: 'Never' }), view([record(terminated(1))])).phase,
    ).toBe('Failed');
    expect(
      buildPodStatus(
        pod(),
        view([record({ waiting: { reason: 'PodInitializing' } })], { initialized: false }),
      ).phase,
    ).toBe('Pending');
  });

  it('reports unready containers in the Ready condition and keeps transition times', () => {
    const first = buildPodStatus(pod(), view([record({ running: { startedAt: 'x' } })]));
    const ready = (
      first['conditions'] as {
        type: string;
        status: string;
        message?: string;
        lastTransitionTime: string;
      }[]
    ).find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const again = buildPodStatus(
      { ...pod(), status: first },
      view([record({ running: { startedAt: 'x' } })], { now: 'later' }),
    );
    expect(
      (again['conditions'] as { type: string; lastTransitionTime: string }[]).find(
        (c) => c.type === 'Ready',
      )!.lastTransitionTime,
    ).toBe(ready.lastTransitionTime);
  });

  it('classifies QoS', () => {
    expect(qosClass(pod())).toBe('BestEffort');
    expect(
      qosClass(
        pod({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }),
      ),
    ).toBe('Guaranteed');
    expect(
      qosClass(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] })),
    ).toBe('Burstable');
  });
});

describe('kubelet back-off', () => {
  it('doubles from 10s to 5m and starts over after 10 minutes of running', () => {
    const b = new Backoff();
    const delays = Array.from({ length: 7 }, () => goDuration(b.next(1000)));
    expect(delays).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
    expect(goDuration(b.next(600_000))).toBe('10s');
  });
});

describe('container config', () => {
  const secret: KObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    data: { user: Buffer.from('app').toString('base64') },
  };
  const cm: KObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'shop' },
    data: { MODE: 'prod' },
  };
  const lookup: ConfigLookup = {
    configMap: (_ns, name) => (name === 'cfg' ? cm : undefined),
    secret: (_ns, name) => (name === 'db' ? secret : undefined),
    pvc: () => undefined,
  };

  it('resolves env, envFrom, fieldRef and $(VAR) expansion', () => {
    const p = pod();
    const result = resolveEnv(
      p,
      {
        name: 'app',
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'APP_' }],
        env: [
          { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'URL', value: 'postgres://$(DB_USER)@db' },
        ],
      },
      lookup,
      {},
    );
    expect(result).toEqual({
      env: { APP_MODE: 'prod', DB_USER: 'app', POD: 'web', URL: 'postgres://app@db' },
    });
  });

  it('words missing references as CreateContainerConfigError does', () => {
    const p = pod();
    const key = resolveEnv(
      p,
      {
        name: 'a',
        env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
      },
      lookup,
      {},
    );
    expect(key).toEqual({ error: "couldn't find key password in Secret shop/db" });
    const map = resolveEnv(
      p,
      { name: 'a', envFrom: [{ configMapRef: { name: 'x' } }] },
      lookup,
      {},
    );
    expect(map).toEqual({ error: 'configmap "x" not found' });
    const optional = resolveEnv(
      p,
      { name: 'a', envFrom: [{ secretRef: { name: 'nope', optional: true } }] },
      lookup,
      {},
    );
    expect(optional).toEqual({ env: {} });
    expect(
      missingVolume(
        pod({ volumes: [{ name: 'config', configMap: { name: 'web-config' } }] }),
        lookup,
      ),
    ).toBe('MountVolume.SetUp failed for volume "config" : configmap "web-config" not found');
  });
});

describe('log selection', () => {
  it('applies sinceSeconds, tailLines, timestamps and limitBytes', () => {
    const b = new LogBuffer();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) b.append(t0 + i * 1000, `line ${i}`);
    expect(selectLines(b.entries, { tailLines: 2 }, t0 + 5000)).toEqual(['line 3', 'line 4']);
    expect(selectLines(b.entries, { sinceSeconds: 2 }, t0 + 4000)).toEqual([
      'line 2',
      'line 3',
      'line 4',
    ]);
    expect(selectLines(b.entries, { tailLines: 1, timestamps: true }, t0)).toEqual([
      '2026-01-01T00:00:04.000000000Z line 4',
    ]);
    expect(selectLines(b.entries, { limitBytes: 9 }, t0)).toEqual(['line 0', 'li']);
  });
});
