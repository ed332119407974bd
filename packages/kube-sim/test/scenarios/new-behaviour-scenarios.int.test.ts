// The library scenarios built on the kind-like behaviour (shared network, shared volumes,
// cpu from busy loops) reach their verified state on their own, observed with kubectl.
import { describe, expect, it, vi } from 'vitest';
import { startScenarioSim } from '../../src/mod.ts';
import { Kubectl } from '../helpers/kubectl.ts';

vi.setConfig({ testTimeout: 120_000 });

describe('scenarios on the new behaviour', () => {
  it.each(['sidecar-over-localhost', 'shared-volume-writer-reader', 'hpa-busy-loop'])(
    '%s settles into its verified state',
    async (name) => {
      const run = await startScenarioSim(name);
      try {
        const verdict = await run.waitSolved(90_000);
        expect(verdict.report).toBe('');
        const kubectl = new Kubectl(run.sim);
        if (name === 'sidecar-over-localhost') {
          const pod = (await kubectl.ok(['get', 'pods', '-n', 'edge', '-o', 'name'])).split(
            '\n',
          )[0]!;
          expect(
            await kubectl.ok([
              'exec',
              '-n',
              'edge',
              pod,
              '-c',
              'checker',
              '--',
              'wget',
              '-qO-',
              'http://localhost/',
            ]),
          ).toContain('Welcome to nginx!');
          expect(await kubectl.ok(['logs', '-n', 'edge', pod, '-c', 'nginx'])).toMatch(
            /^127\.0\.0\.1 - - .*"GET \/ HTTP\/1\.1" 200/m,
          );
        }
        if (name === 'shared-volume-writer-reader') {
          const out = await kubectl.ok([
            'exec',
            '-n',
            'reports',
            'deploy/report-writer',
            '-c',
            'reader',
            '--',
            'cat',
            '/reports/out.log',
          ]);
          expect(out).toMatch(/^report at /);
        }
        if (name === 'hpa-busy-loop') {
          const top = await kubectl.ok(['top', 'pod', '-n', 'load', '--no-headers']);
          expect(
            top
              .trim()
              .split('\n')
              .map((l) => l.split(/\s+/)[1]),
          ).toEqual(['500m', '500m', '500m', '500m']);
        }
      } finally {
        await run.stop();
      }
    },
  );
});
