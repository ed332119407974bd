import { describe, it } from 'vitest';
import { EXPECTED, diagnoseAndFix } from './helpers/expectations.ts';
import { runScenario } from './helpers/scenario.ts';

// Half of the kube-sim scenario library per file, so the two halves run in parallel.
const NAMES = Object.keys(EXPECTED)
  .sort()
  .filter((_, i) => i % 2 === 0);

describe('analyzers on the kube-sim scenario library (part A)', () => {
  it.each(NAMES)(
    '%s: finds the cause on the right object; its top fix, planned and applied, solves it',
    async (name) => {
      const env = await runScenario(name);
      try {
        await diagnoseAndFix(env);
      } finally {
        await env.stop();
      }
    },
    150_000,
  );
});
