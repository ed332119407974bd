import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/api/types.ts';
import { findResource } from '../../src/resources.ts';
import { summarizePod, toTable } from '../../src/tables/mod.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const pods = findResource('', 'v1', 'pods')!;

function pod(
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c-abcde', namespace: 'shop', creationTimestamp: ago(330), ...meta },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
    status,
  };
}
const running = { running: { startedAt: ago(300) } };
const readyStatus = (extra: Record<string, unknown> = {}) => ({
  name: 'web',
  ready: true,
  restartCount: 0,
  state: running,
  ...extra,
});
const status = (p: KObject) => summarizePod(p as never).status;

describe('pod STATUS', () => {
  it('is Pending before scheduling and ContainerCreating while the image is pulled', () => {
    expect(status(pod({ phase: 'Pending' }))).toBe('Pending');
    expect(
      status(
        pod({
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'web',
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: 'ContainerCreating' } },
            },
          ],
        }),
      ),
    ).toBe('ContainerCreating');
  });

  it('shows the waiting reason of a broken container', () => {
    for (const reason of [
      'CrashLoopBackOff',
      'ErrImagePull',
      'ImagePullBackOff',
      'CreateContainerConfigError',
    ]) {
      expect(
        status(
          pod({
            phase: 'Running',
            containerStatuses: [
              { name: 'web', ready: false, restartCount: 3, state: { waiting: { reason } } },
            ],
          }),
        ),
      ).toBe(reason);
    }
  });

  it('shows Completed, Error, OOMKilled and exit codes of terminated containers', () => {
    const terminated = (t: Record<string, unknown>, phase = 'Failed') =>
      status(
        pod({
          phase,
          containerStatuses: [
            { name: 'web', ready: false, restartCount: 0, state: { terminated: t } },
          ],
        }),
      );
    expect(terminated({ exitCode: 0, reason: 'Completed' }, 'Succeeded')).toBe('Completed');
    expect(terminated({ exitCode: 1, reason: 'Error' })).toBe('Error');
    expect(terminated({ exitCode: 137, reason: 'OOMKilled' })).toBe('OOMKilled');
    expect(terminated({ exitCode: 2 })).toBe('ExitCode:2');
    expect(terminated({ exitCode: 0, signal: 9 })).toBe('Signal:9');
  });

  it('reports init progress and init failures', () => {
    const spec = {
      initContainers: [
        { name: 'migrate', image: 'm' },
        { name: 'warm', image: 'w' },
      ],
    };
    const init = (statuses: unknown[]) =>
      status(pod({ phase: 'Pending', initContainerStatuses: statuses }, spec));
    expect(
      init([
        { name: 'migrate', ready: false, restartCount: 0, state: running },
        { name: 'warm', state: { waiting: { reason: 'PodInitializing' } } },
      ]),
    ).toBe('Init:0/2');
    expect(
      init([
        { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'warm', state: running },
      ]),
    ).toBe('Init:1/2');
    expect(
      init([
        { name: 'migrate', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ]),
    ).toBe('Init:CrashLoopBackOff');
    expect(
      init([{ name: 'migrate', state: { terminated: { exitCode: 1, reason: 'Error' } } }]),
    ).toBe('Init:Error');
    expect(init([{ name: 'migrate', state: { terminated: { exitCode: 3 } } }])).toBe(
      'Init:ExitCode:3',
    );
  });

  it('is Running when ready, Terminating once deleted, and NotReady for a completed container next to a running one', () => {
    expect(status(pod({ phase: 'Running', containerStatuses: [readyStatus()] }))).toBe('Running');
    expect(
      status(
        pod(
          { phase: 'Running', containerStatuses: [readyStatus()] },
          {},
          { deletionTimestamp: ago(1) },
        ),
      ),
    ).toBe('Terminating');
    expect(
      status(pod({ phase: 'Succeeded', containerStatuses: [] }, {}, { deletionTimestamp: ago(1) })),
    ).toBe('Succeeded');
    const twoContainers = pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'web', ready: true, restartCount: 0, state: running },
          {
            name: 'job',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
      { containers: [{ name: 'web' }, { name: 'job' }] },
    );
    expect(status(twoContainers)).toBe('NotReady');
  });

  it('counts a started sidecar init container as a container', () => {
    const p = pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'proxy', ready: true, started: true, restartCount: 1, state: running },
        ],
        containerStatuses: [readyStatus()],
      },
      { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
    );
    expect(summarizePod(p as never)).toMatchObject({
      ready: '2/2',
      status: 'Running',
      restarts: 1,
    });
  });
});

describe('pod table', () => {
  it('prints NAME READY STATUS RESTARTS AGE and the wide columns', () => {
    const crashing = pod(
      {
        phase: 'Running',
        podIP: '10.244.1.7',
        podIPs: [{ ip: '10.244.1.7' }],
        containerStatuses: [
          {
            name: 'web',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } },
          },
        ],
      },
      { nodeName: 'node-1' },
    );
    const table = toTable(pods, [crashing], { now: NOW });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(table.columnDefinitions.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(table.rows[0]?.cells).toEqual([
      'web-7d4b9c-abcde',
      '0/1',
      'CrashLoopBackOff',
      '5 (5m ago)',
      '5m30s',
      '10.244.1.7',
      'node-1',
      '<none>',
      '<none>',
    ]);
    expect(table.rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: crashing.metadata,
    });
  });

  it('carries the whole object, or none, on request and marks finished pods', () => {
    const done = pod({ phase: 'Succeeded', containerStatuses: [] });
    expect(toTable(pods, [done], { includeObject: 'Object', now: NOW }).rows[0]?.object).toBe(done);
    const none = toTable(pods, [done], { includeObject: 'None', now: NOW }).rows[0];
    expect(none && 'object' in none).toBe(false);
    expect(none?.conditions).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
  });
});
