import { describe, it } from 'vitest';
import { externalScenarios } from './helpers/external.ts';
import { expectSolved } from './helpers/external-run.ts';

const NAMES = externalScenarios().filter((_, i) => i % 2 === 1);

describe('analyzers on the held-out scenarios (part B)', () => {
  it.each(NAMES)(
    '%s: names each faulty object and cause; the top fixes, planned and applied, solve it',
    async (name) => {
      await expectSolved(name);
    },
    180_000,
  );
});
