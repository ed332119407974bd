// Images as scripts written for kind meet them, through the real kubectl: published tags
// pull and unpublished ones do not, a `command` bypasses the entrypoint's output, shells
// word errors as the image's own shell does, and no timestamp is in the wall clock's future.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSim, type KubeSim } from '../../src/mod.ts';
import { Kubectl, until } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
let sim: KubeSim;
let kubectl: Kubectl;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20 });
  kubectl = new Kubectl(sim);
});
afterAll(async () => {
  await sim.stop();
});

const phaseOf = (pod: string) => kubectl.ok(['get', 'pod', pod, '-o', 'jsonpath={.status.phase}']);
const waitingReason = (pod: string) =>
  kubectl.ok([
    'get',
    'pod',
    pod,
    '-o',
    'jsonpath={.status.containerStatuses[0].state.waiting.reason}',
  ]);

describe('images', () => {
  it('pulls published tags (nginx:1.21, python:3.9-slim-buster) and not unpublished ones', async () => {
    await kubectl.ok(['run', 'ng121', '--image=nginx:1.21']);
    await kubectl.ok([
      'run',
      'pyslim',
      '--image=python:3.9-slim-buster',
      '--command',
      '--',
      'sleep',
      '3600',
    ]);
    await kubectl.ok(['run', 'ng199', '--image=nginx:1.99']);
    await until(async () => (await phaseOf('ng121')) === 'Running', 30_000, 'nginx:1.21 running');
    await until(async () => (await phaseOf('pyslim')) === 'Running', 30_000, 'python running');
    await until(
      async () => /ErrImagePull|ImagePullBackOff/.test(await waitingReason('ng199')),
      30_000,
      'nginx:1.99 failing to pull',
    );
    expect(await kubectl.ok(['describe', 'pod', 'ng199'])).toContain(
      'docker.io/library/nginx:1.99: not found',
    );
  });

  it('shows the entrypoint output only when the entrypoint runs', async () => {
    await kubectl.ok(['run', 'ng-default', '--image=nginx:1.27']);
    await kubectl.ok([
      'run',
      'ng-command',
      '--image=nginx:1.27',
      '--command',
      '--',
      'nginx',
      '-g',
      'daemon off;',
    ]);
    for (const pod of ['ng-default', 'ng-command'])
      await until(async () => (await phaseOf(pod)) === 'Running', 30_000, `${pod} running`);
    await until(
      async () => /start worker processes/.test(await kubectl.ok(['logs', 'ng-command'])),
      20_000,
      'nginx up',
    );
    expect(await kubectl.ok(['logs', 'ng-default'])).toContain(
      '/docker-entrypoint.sh: Configuration complete',
    );
    const bypassed = await kubectl.ok(['logs', 'ng-command']);
    expect(bypassed).not.toContain('docker-entrypoint');
    expect(bypassed).toContain('start worker processes');
  });

  it("words a missing program in the image's shell: Debian dash, busybox ash", async () => {
    await kubectl.ok([
      'run',
      'deb',
      '--image=node:20-bookworm-slim',
      '--restart=Never',
      '--command',
      '--',
      '/bin/sh',
      '-c',
      'python3 app.py',
    ]);
    await kubectl.ok([
      'run',
      'bb',
      '--image=busybox:1.36',
      '--restart=Never',
      '--command',
      '--',
      'sh',
      '-c',
      'python3 app.py',
    ]);
    for (const pod of ['deb', 'bb'])
      await until(async () => (await phaseOf(pod)) === 'Failed', 30_000, `${pod} failed`);
    expect((await kubectl.ok(['logs', 'deb'])).trim()).toBe('/bin/sh: 1: python3: not found');
    expect((await kubectl.ok(['logs', 'bb'])).trim()).toBe('sh: python3: not found');
  });

  it('never stamps a time in the future of the wall clock, even at speed 20', async () => {
    await kubectl.ok(['create', 'configmap', 'stamp']);
    const stamps = await kubectl.ok([
      'get',
      'pods,events,configmaps',
      '-o',
      'jsonpath={range .items[*]}{.metadata.creationTimestamp}{"\\n"}{end}',
    ]);
    const now = Date.now();
    const times = stamps
      .split('\n')
      .filter(Boolean)
      .map((t) => Date.parse(t));
    expect(times.length).toBeGreaterThan(5);
    expect(times.filter((t) => t > now)).toEqual([]);
    expect(await kubectl.ok(['describe', 'configmap', 'stamp'])).not.toContain('<invalid>');
  });
});
