import { describe, expect, it } from 'vitest';
import { EXTERNAL, externalScenarios } from './helpers/external.ts';
import { expectSolved } from './helpers/external-run.ts';

// Half of the held-out set per file, so the two halves run in parallel.
const NAMES = externalScenarios().filter((_, i) => i % 2 === 0);

describe('analyzers on the held-out scenarios (part A)', () => {
  it('every held-out scenario file has an expectation, and every expectation a file', () => {
    expect(externalScenarios()).toEqual(Object.keys(EXTERNAL).sort());
    expect(externalScenarios().length).toBeGreaterThanOrEqual(15);
  });

  it.each(NAMES)(
    '%s: names each faulty object and cause; the top fixes, planned and applied, solve it',
    async (name) => {
      await expectSolved(name);
    },
    180_000,
  );
});
