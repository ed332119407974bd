import { describe, expect, it } from 'vitest';
import { OpsError, Step } from '@opsloop/contracts';
import { planStep } from '../src/mod.ts';
import { EXPECTED, waitForFinding } from './helpers/expectations.ts';
import { runScenario } from './helpers/scenario.ts';

/**
 * The seam to the event log for plans, over the whole scenario library: every remediation
 * of every finding, planned (a dry run; nothing is written), parses as contracts' Step. A
 * remediation other than a finding's first may fail to plan, but only with a typed error
 * (the live state moved on since the diagnosis).
 */
const NAMES = Object.keys(EXPECTED).sort();

describe('every planStep result over the scenario library is a contracts Step', () => {
  it.each(NAMES)(
    '%s',
    async (name) => {
      const env = await runScenario(name);
      try {
        const { all } = await waitForFinding(env, EXPECTED[name]!);
        let planned = 0;
        for (const finding of all) {
          for (const [index, remediation] of finding.remediations.entries()) {
            const step = await planStep(remediation.action, remediation.args, env.cluster).catch(
              (error: unknown) => {
                if (index === 0 || !(error instanceof OpsError)) throw error;
                return null;
              },
            );
            if (step === null) continue;
            planned += 1;
            const parsed = Step.safeParse({ id: 's1', ...step });
            expect(parsed.error, `${remediation.action} is not a contracts Step`).toBeUndefined();
          }
        }
        expect(planned).toBeGreaterThanOrEqual(EXPECTED[name]!.fix === null ? 0 : 1);
      } finally {
        await env.stop();
      }
    },
    150_000,
  );
});
