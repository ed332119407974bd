import { describe, it } from 'vitest';
import { externalScenarios } from './helpers/external.ts';
import { NOT_SOLVED_YET, UNSTABLE, expectHeldOut } from './helpers/external-run.ts';

const NAMES = externalScenarios()
  .filter((_, i) => i % 2 === 1)
  .filter((name) => UNSTABLE[name] === undefined);

describe('analyzers on the held-out scenarios (part B)', () => {
  it.each(
    NAMES.map((name) => [
      name,
      NOT_SOLVED_YET[name] ? ` — not solved yet: ${NOT_SOLVED_YET[name]}` : '',
    ]),
  )(
    '%s: names each faulty object and cause; the top fixes, planned and applied, solve it%s',
    async (name) => {
      await expectHeldOut(name);
    },
    180_000,
  );
});
